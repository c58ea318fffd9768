"""The glossary: the names draft-16 and RFC 8653 give the same things, and the terms a learner
meets in odplay, in odplay's words.

One source for two places: the help screen shows :func:`glossary_markdown` under its own
heading, and docs/glossary.md is :func:`docs_page` (regenerate it with
`python -m odplay.glossary > docs/glossary.md`; a test keeps it current). The tables hold no
links, so that they read the same in the playground as on the page.
"""

from __future__ import annotations

#: (what, draft-16, RFC 8653, odplay): the names that differ between the two documents.
NAMES: tuple[tuple[str, str, str, str], ...] = (
    (
        "Fixed type",
        "`FIXED_IPV6_ADDRESS`, value 1 (6.1)",
        "`FIXED_IP_ADDRESS`, no value (Appendix A)",
        "`fixed`, code fx; the draft's name and value in code",
    ),
    (
        "Session-lasting type",
        "`SESSION_LASTING_IPV6_ADDRESS`, value 2",
        "`SESSION_LASTING_IP_ADDRESS`; written Session-Lasting",
        "`session-lasting`, code sl",
    ),
    (
        "Non-persistent type",
        "`NON_PERSISTENT_IPV6_ADDRESS`, value 3",
        "`NON_PERSISTENT_IP_ADDRESS`; written Nonpersistent",
        "`non-persistent`, code np",
    ),
    (
        "Graceful-replacement type",
        "`GRACEFUL_REPLACEMENT_IPV6_ADDRESS`, value 4",
        "`GRACEFUL_REPLACEMENT_IP_ADDRESS`; written Graceful-Replacement",
        "`graceful-replacement`, code gr",
    ),
    (
        "Reserved type values",
        "0 and 5-7 of a 3-bit field (A2)",
        "none: no field, no numbers",
        "refused with EINVAL (odplay's choice)",
    ),
    (
        "The call that asks for a type",
        "`setsc()`: a socket, an address to fill in and a type; returns a status (6.1, A1)",
        "`setsc()` (Set Service Continuity), one of two suggestions, with no signature "
        "(Appendix A)",
        "`status, address = setsc(fd, type)`; the `setsc` scenario verb",
    ),
    (
        "The other route to a type",
        "rejected: extending RFC 5014's option does not do the job (3.5)",
        "suggested: an `OnDemand` field in `IPV6_ADDR_PREFERENCES`, set with `setsockopt()`, "
        "which returns at once (Appendix A)",
        "`host.api: sockopt`: the field in bits 0xE000 (odplay's), `on_demand: TYPE` in the "
        "`setsockopt` verb, `on-demand=TYPE` among the flags",
    ),
    (
        "Status codes",
        "`EAI_REQUIREDIPNOTSUPPORTED`, `EAI_REQUIREDIPFAILED` (6.1, A3)",
        "none: a failed request returns an error (3.4)",
        "-20 and -21 (odplay's numbers, after getaddrinfo's EAI_*)",
    ),
    (
        "Ask the current network for a fresh prefix",
        "`IPV6_REQUIRE_SRC_ON_NET`, the ON_NET flag of `IPV6_ADDR_PREFERENCES` (3.5, 6.2, A6)",
        "removed; its Section 5 still mentions an undefined On-Demand flag",
        "0x1000 (odplay's value), `on-net` in scenario files",
    ),
    (
        "Renewing addresses for privacy",
        "nothing",
        "advice (5): an address lifetime in time or bytes sent, then a new prefix though one "
        "of the type is held; operators vary which prefixes carry which type",
        "`host.rotation` (a lifetime per type in time), `host.rotation_bytes` (in bytes sent), "
        "`network.prefix_types`",
    ),
    (
        "RFC 5014's socket option",
        "`IPV6_ADDR_PREFERENCES` (3.5; misspelled in 6.2)",
        "`IPV6_ADDR_PREFERENCES` (misspelled once as `IPV6_ADDR_REFERENCE`)",
        "option 72 at level `IPPROTO_IPV6` (41), Linux's values",
    ),
    (
        "RFC 5014's flags",
        "HOME, COA, TMP, PUBLIC, CGA, NONCGA, not to be mixed with setsc() and bind() (5.4, R1-R3)",
        "the same flags, left alone by any application that asks for a type (4.4)",
        "Linux's values; `home`, `coa`, `tmp`... in scenario files",
    ),
    (
        "Teaching names",
        "PREFsl1, PREFnp1, PREFnp2 and IPsl1, IPnp1, IPnp2 in the 4.2 flow",
        "none: the RFC has no example",
        "PREF or IP, a type code and a number for every prefix and address: sl and np as the "
        "draft, fx, gr and lg (a legacy network's untyped prefix) by odplay's choice",
    ),
    (
        "Worked examples",
        "the 4.1 pseudo-code and the 4.2 message flow (A7, F1-F9)",
        "none",
        "the scenarios 4.1-pseudo-code and 4.2-message-flow",
    ),
    (
        "Section numbers",
        "3.1-3.4, 3.5, 5.1-5.4, 7",
        "3.1-3.4, Appendix A, 4.1-4.4, 5 (draft 4 and 6 have no counterpart)",
        "rule IDs cite draft-16's sections; `odplay rules` adds the RFC's",
    ),
)

#: (term, what it means in odplay): the words a learner meets on screen and in the docs.
TERMS: tuple[tuple[str, str], ...] = (
    (
        "draft-16 only",
        "A rule or name that RFC 8653 dropped: a badge in the explanation panel, and `*` after "
        "a rule ID in the ladder (its header says `*=draft`).",
    ),
    (
        "on demand",
        "The stack asks the network for a prefix of a type only when a socket needs one it "
        "does not hold (D2, D3).",
    ),
    (
        "session continuity",
        "A socket keeps its local address for its whole life, moves or not (C1).",
    ),
    (
        "address reachability",
        "The host keeps one address long enough to publish it and be reached at it (C2).",
    ),
    (
        "attachment point",
        "Where the host connects to the network (ap1, ap2...); a move changes it. Two "
        "attachment points may share a gateway.",
    ),
    (
        "serving gateway",
        "The IP gateway behind the host's current attachment point. Non-persistent and "
        "Graceful-replacement prefixes come from it (T3, T4).",
    ),
    (
        "anchor",
        "Where a prefix is routed to. Traffic of an address anchored anywhere but the serving "
        "gateway is tunnelled through its anchor: a Fixed address at the central anchor (T1), "
        "a Session-lasting one at the gateway that gave it (T2).",
    ),
    (
        "path stretch",
        "How much longer the path through an anchor is than the direct one (C3, D11).",
    ),
    (
        "prefix",
        "The block of addresses the network gives the host, with a type; the host makes its "
        "addresses from it.",
    ),
    (
        "grace period",
        "After a Graceful-replacement prefix must change, the time during which the old and "
        "the new prefix are both valid (T4; network.grace_period).",
    ),
    (
        "deprecated",
        "An address still valid for the sockets on it, but not given to new ones: a "
        "Graceful-replacement address in its grace period.",
    ),
    (
        "reuse or fresh",
        "Give a socket an address the host holds, or ask for a new prefix though one of the "
        "type is held (D7, D9; host.allocation).",
    ),
    (
        "signalling message",
        "A message between the host and the network, an arrow between their lanes in the "
        "ladder: attach, move, offer, request, grant, refusal, withdrawal... and Mobile IP's "
        "binding update. `odplay compare` counts them by the same kinds. Asking for a prefix "
        "costs a round trip (D3, D11).",
    ),
    (
        "local address",
        "The address a socket sends from and is reached at, in the socket tables: IPsl1 when "
        "the socket is bound to it (bind()); (IPnp1) when it never bound and the stack picked "
        "it as the source when it connected or sent (R3, B3); given IPsl1 when setsc() made it "
        "for the socket, not bound yet (A1); :: bound to any address; - none.",
    ),
    (
        "used by",
        "An address's users, in the address tables: the sockets whose local address it is "
        "(bound to it or sending from it). A socket setsc() only gave it to is not one (D8, R3).",
    ),
    (
        "status",
        "What a call returned, by the ladder's name everywhere (0, EPERM, "
        "EAI_REQUIREDIPFAILED), never by number.",
    ),
    (
        "Mobile IP",
        "Gives every socket a home address at a central anchor, whatever it needs (C3); "
        "`odplay compare` runs a scenario that way beside on demand.",
    ),
    (
        "home address, care-of address",
        "Mobile IP's two addresses: the home address stays put and is reached through the "
        "anchor; the care-of address belongs to the network the host is on. RFC 5014's HOME "
        "and COA flags ask for one of them; odplay takes a Fixed address as the home address "
        "and the serving gateway's prefix as the care-of one (R3).",
    ),
    (
        "legacy application",
        "One that never asks for a type; it gets the old behaviour (B1).",
    ),
    (
        "legacy stack",
        "A host stack without on-demand support: setsc() fails and the application may fall "
        "back to the old calls (B2; host.legacy_stack). Whether it refuses ON_NET (EINVAL) or "
        "drops it as a Linux kernel does is host.legacy_on_net.",
    ),
    (
        "legacy network",
        "A network without on-demand support: odplay's gives untyped prefixes and refuses "
        "typed requests (B7; network.legacy).",
    ),
    (
        "policy",
        "What the standard leaves to the host or the operator (D10): odplay's settings, "
        "switched with e.",
    ),
    (
        "OnDemand field",
        "RFC 8653 Appendix A's other way to ask for a type: a field of RFC 5014's socket "
        "option, set with setsockopt(), which returns at once; the socket's traffic then uses "
        "an address of the type (host.api: sockopt; host.sockopt_connect says what connect() "
        "does while the prefix is on its way).",
    ),
    (
        "rotation",
        "Renewing an address after a lifetime so that it does not link a host's traffic for "
        "long (RFC 8653 Section 5; host.rotation). Each type's old address goes as the type "
        "allows: drained, deprecated for a grace period, or at once.",
    ),
    (
        "linkable",
        "How long one address ties a host's traffic together: from its first use to its last. "
        "`odplay compare --side` sets it against breaks and messages, per type.",
    ),
    (
        "prefix blocks",
        "A range of prefixes an operator keeps for one type (network.prefix_types: blocks); an "
        "observer who learns it reads the type off a prefix, unless the blocks are shuffled.",
    ),
    (
        "correspondent",
        "The host at the other end of a connection, or one that reaches the host (C2).",
    ),
    (
        "DMM",
        "Distributed Mobility Management, the IETF working group whose document this is.",
    ),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def glossary_markdown() -> str:
    """The two tables, with a line of introduction each: what the help screen and the docs
    page share."""
    lines = [
        "### Names: draft-16 and RFC 8653",
        "",
        "odplay models draft-16 and uses its names. RFC 8653, the published form, renamed some "
        "things and dropped others; a name with a number or a code here is draft-16's only.",
        "",
        "| what | draft-16 | RFC 8653 | odplay |",
        "|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(_cell(c) for c in row)} |" for row in NAMES]
    lines += [
        "",
        "### Terms",
        "",
        "| term | what it means here |",
        "|---|---|",
    ]
    lines += [f"| {_cell(term)} | {_cell(meaning)} |" for term, meaning in TERMS]
    return "\n".join(lines) + "\n"


def docs_page() -> str:
    """docs/glossary.md."""
    return (
        "# Glossary\n"
        "\n"
        "<!-- Generated from odplay/glossary.py by `python -m odplay.glossary`; do not edit by "
        "hand. -->\n"
        "\n"
        "The names draft-16 and RFC 8653 give the same things, and the words odplay uses, in "
        "its own words (the help screen, `?`, shows the same tables). "
        "[draft-and-rfc.md](draft-and-rfc.md) explains how the two documents differ, and "
        "[rules.md](rules.md) gives every rule with its standing in the RFC.\n"
        "\n" + glossary_markdown()
    )


if __name__ == "__main__":
    import sys

    sys.stdout.write(docs_page())
