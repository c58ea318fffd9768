"""The draft's rules, numbered and explained in odplay's own words: the catalogue that ships.

Every trace entry, scenario step and test names the rules it shows by ID; this catalogue turns an
ID into the section of the draft it comes from and a short explanation for the learner. Where the
draft leaves a choice open, `choice` says which setting in odplay lets the learner flip it.
"""

from __future__ import annotations

from dataclasses import dataclass

from odplay.rfc8653 import STANDINGS, RfcStanding


@dataclass(frozen=True)
class Rule:
    id: str
    section: str
    title: str
    explanation: str
    #: Where the rule stands in RFC 8653, the published form of the draft (odplay/rfc8653.py).
    rfc8653: RfcStanding
    choice: str = ""
    #: What a real Linux stack does differently, when it does (docs/real-stacks.md).
    real_stack: str = ""


def _r(id: str, section: str, title: str, explanation: str, choice: str = "") -> Rule:
    real_stack = REAL_STACKS.get(id, ("", ""))[0]
    return Rule(id, section, title, explanation, STANDINGS[id], choice, real_stack)


#: Rule → (one sentence on what today's Linux does differently, the heading of docs/real-stacks.md
#: that says more). Measured on Linux 6.18 without Mobile IPv6; the page gives the details.
REAL_STACKS: dict[str, tuple[str, str]] = {
    "C1": (
        "Linux does not break a connection whose address is deleted: it goes silent and retries "
        "for about 15 minutes before the application hears.",
        "c1-t3-what-a-withdrawn-address-does-to-its-sockets",
    ),
    "T3": (
        "On Linux too, a move under the same gateway changes no address; a deleted address "
        "leaves its connections silent rather than broken.",
        "t3-a-move-under-the-same-gateway",
    ),
    "T4": (
        "Linux counts lifetimes in whole seconds and deletes an expired address a little late.",
        "t4-lifetimes-and-deprecated-addresses",
    ),
    "A6": (
        "No kernel knows ON_NET: Linux keeps its preferences in 8 bits and silently drops the "
        "bit, so a setsc() library must keep it itself.",
        "a6-b2-on_net-on-a-stack-that-does-not-know-it",
    ),
    "B2": (
        "A legacy Linux stack accepts ON_NET and ignores it, where odplay's reading of B2 "
        "answers EINVAL (host.legacy_on_net ignore plays the kernel's side; odplay kernel "
        "legacy-host-stack shows both).",
        "a6-b2-on_net-on-a-stack-that-does-not-know-it",
    ),
    "R1": (
        "Linux refuses the conflicting pairs (HOME|COA, TMP|PUBLIC, CGA|NONCGA) with EINVAL, as "
        "odplay does; without Mobile IPv6 it ignores HOME and COA when it picks a source.",
        "r1-r3-the-rfc-5014-flags-and-source-selection",
    ),
    "R3": (
        "Linux picks an unbound socket's source by RFC 6724 as odplay does, but without the "
        "home-address rule, and a route's preferred source wins first.",
        "r3-which-source-an-unbound-socket-gets",
    ),
}


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        _r(
            "C1",
            "1",
            "Session continuity",
            "A socket keeps one local address for as long as it is open, even when the host "
            "moves. Between sockets the address may change without harm.",
        ),
        _r(
            "C2",
            "1",
            "Address reachability",
            "The host keeps one address for a long time, with or without sessions, so it can "
            "be published by name and accept incoming connections.",
        ),
        _r(
            "C3",
            "1",
            "Mobile IP's cost",
            "Mobile IP buys both properties for every socket by routing all traffic through a "
            "central anchor: more delay, more network load, one point of failure. The draft "
            "wants them only where an application needs them.",
        ),
        _r(
            "C4",
            "1",
            "Mobility above IP",
            "MPTCP, SIP or an application's own mobility can keep a session over the direct "
            "path, but only if IP changes are visible to them; a fixed Mobile IP address hides "
            "them.",
        ),
        _r(
            "T1",
            "3.2",
            "Fixed address",
            "Valid for a very long time: used or not, connected or not, after any move. Gives "
            "continuity and reachability. odplay anchors it at the central anchor.",
        ),
        _r(
            "T2",
            "3.2",
            "Session-lasting address",
            "Valid for as long as the sockets it was asked for are open, across moves. Gives "
            "continuity but no reachability. odplay anchors it at the gateway that gave it. "
            "The 4.2 flow shows it in F7.",
        ),
        _r(
            "T3",
            "3.2",
            "Non-persistent address",
            "Made from the serving gateway's prefix, with no promise after a move: when the "
            "gateway changes the prefix goes and a new address is needed. The shortest path. "
            "The 4.2 flow shows it in F5 and F6.",
            "network.same_gateway_move",
        ),
        _r(
            "T4",
            "3.2",
            "Graceful-replacement address",
            "When its prefix must change, old and new prefixes are both valid for a grace "
            "period, so the application can move over before the old one goes. Coming back to "
            "the old prefix's gateway inside its grace is left open: by default odplay gives a "
            "new prefix.",
            "network.grace_period, network.graceful_return",
        ),
        _r(
            "T5",
            "3.2",
            "Who wants which type",
            "Servers, long SSH sessions and enterprise VPNs want Fixed; browsers want "
            "Session-lasting; DNS clients and messengers Non-persistent; a buffering streaming "
            "client copes with Graceful-replacement.",
        ),
        _r(
            "G1",
            "3.3",
            "Per-socket choice",
            "The type is chosen for each socket, so one application can mix types, such as a "
            "Fixed control socket and a Session-lasting data socket.",
        ),
        _r(
            "D1",
            "3.1",
            "The application asks",
            "The application tells its host stack which mobility service a socket needs.",
        ),
        _r(
            "D2",
            "3.1",
            "Use what is held",
            "If the stack already holds a prefix of that type, it makes the address from it "
            "without asking the network.",
        ),
        _r(
            "D3",
            "3.1, 3.4, 3.5",
            "Otherwise ask the network",
            "With no prefix of the type, the stack must ask the network for one; the network "
            "answers with a prefix or a failure.",
        ),
        _r(
            "D4",
            "3.4",
            "A failed request fails the socket",
            "If the network cannot give the prefix, the socket's request fails with an error. "
            "The 4.2 flow's F8 is one case: a type the network does not offer.",
        ),
        _r(
            "D5",
            "3.1, 3.4",
            "A granted request configures an address",
            "If the network gives the prefix, an address of the type is configured on the host "
            "and handed to the application.",
        ),
        _r(
            "D6",
            "3.4",
            "Any mix of addresses",
            "At any time the host may hold any number of addresses of each type, from policy, "
            "from applications' requests, or both. Compare F1, where the 4.2 network hands two "
            "prefixes over as the host attaches.",
        ),
        _r(
            "D7",
            "3.4",
            "Sharing an address",
            "A later socket asking for the same type may be given the same address; in 4.2 "
            "IPnp1 is handed out twice.",
            "host.allocation (reuse)",
        ),
        _r(
            "D8",
            "3.4",
            "Release or keep",
            "When the last socket on an address closes, the host may release the address or "
            "keep it for later applications.",
            "host.on_last_close",
        ),
        _r(
            "D9",
            "3.4",
            "Reuse or fresh",
            "The host may ask for a fresh prefix of a type for a new socket even while it holds "
            "one; the draft allows both and any mix.",
            "host.allocation, host.when_fresh_fails, host.rotation",
        ),
        _r(
            "D10",
            "3.4",
            "Policy decides the rest",
            "Which addresses exist at boot, which applications may have which types, and the "
            "type used when an application says nothing are policy, not protocol.",
            "host.boot_types, host.permissions, host.default_type",
        ),
        _r(
            "D11",
            "3.5",
            "Fast but stretched, or fresh but slow",
            "Reusing a held address is instant but after a move its route may detour; a new "
            "prefix costs a signalling round trip but takes the direct path.",
            "the ON_NET flag",
        ),
        _r(
            "A1",
            "6.1",
            "setsc()",
            "setsc(socket, type) asks for a source address of a type for one socket and "
            "returns a status; on success it also gives the address.",
            "host.api",
        ),
        _r(
            "A2",
            "6.1",
            "The type field",
            "The type is 3 bits: 1 Fixed, 2 Session-lasting, 3 Non-persistent, 4 "
            "Graceful-replacement; 0 and 5-7 are reserved. odplay refuses a reserved value "
            "with EINVAL.",
        ),
        _r(
            "A3",
            "6.1",
            "setsc() statuses",
            "0 for success, EAI_REQUIREDIPNOTSUPPORTED when the type is not offered, "
            "EAI_REQUIREDIPFAILED when the network could not deliver.",
        ),
        _r(
            "A4",
            "3.5, 4.1",
            "Then bind() and connect()",
            "After setsc() the application binds the socket to the address (port 0 lets the "
            "stack pick) and connects; each call can fail and must be handled. Compare F9, "
            "where the 4.2 flow's application tries another type after F8.",
        ),
        _r(
            "A5",
            "6.1",
            "setsc() may block",
            "While the stack waits for the network's answer, setsc() may block its caller; with "
            "a suitable prefix in hand and ON_NET clear it may return at once.",
            "host.api, host.sockopt_connect",
        ),
        _r(
            "A6",
            "3.5, 6.2",
            "The ON_NET flag",
            "IPV6_REQUIRE_SRC_ON_NET, set with setsockopt(IPV6_ADDR_PREFERENCES), makes the "
            "stack ask the current network for a new prefix; clear, it reuses one it holds. "
            "Its bit value (0x1000) is odplay's choice. Under host.allocation fresh every "
            "socket asks anyway; ON_NET then matters only if no fresh prefix comes.",
            "host.when_fresh_fails",
        ),
        _r(
            "A7",
            "4.1, 6.1, 6.2",
            "The draft's inconsistencies",
            "Section 4.1 spells the type constant and setsc()'s arguments differently from "
            "6.1 and tests socket() wrongly; odplay follows 6.1 and lists each erratum.",
        ),
        _r(
            "F1",
            "4.2",
            "Attach: two prefixes",
            "The host attaches and the network gives PREFsl1 (Session-lasting) and PREFnp1 "
            "(Non-persistent). This network offers neither Fixed nor Graceful-replacement.",
        ),
        _r(
            "F2",
            "4.2",
            "First Non-persistent request",
            "An application asks for Non-persistent and gets IPnp1, made from PREFnp1.",
        ),
        _r(
            "F3",
            "4.2",
            "Second Non-persistent request",
            "A second application asks for Non-persistent and gets IPnp1 too.",
        ),
        _r(
            "F4",
            "4.2",
            "A Session-lasting request",
            "A third application asks for Session-lasting and gets IPsl1, from PREFsl1.",
        ),
        _r(
            "F5",
            "4.2",
            "The move",
            "The host moves; the new network gives PREFnp2 and PREFnp1 stops being valid.",
        ),
        _r(
            "F6",
            "4.2",
            "Re-establishing",
            "The applications on IPnp1 open new sockets and get IPnp2, made from PREFnp2.",
        ),
        _r(
            "F7",
            "4.2",
            "Session-lasting survives",
            "The application on IPsl1 carries on: PREFsl1 stays valid after the move.",
        ),
        _r(
            "F8",
            "4.2",
            "An unsupported type",
            "A new application asks for Graceful-replacement and setsc() fails: this network "
            "does not offer it.",
        ),
        _r("F9", "4.2", "Falling back", "It tries again with Session-lasting and is given IPsl1."),
        _r(
            "B1",
            "5.1",
            "Legacy applications",
            "Applications that never call setsc() use the old API and get no on-demand service.",
        ),
        _r(
            "B2",
            "5.1",
            "Expect legacy surroundings",
            "An application using setsc() must cope with an old stack or network: the call "
            "fails and it may fall back to plain calls. odplay's legacy stack answers ENOSYS, "
            "and EINVAL to ON_NET unless host.legacy_on_net is ignore (as a Linux kernel does).",
            "host.legacy_stack, host.legacy_on_net, network.legacy",
        ),
        _r(
            "B3",
            "5.2",
            "The old calls still work",
            "A new stack keeps every legacy operation and serves applications that ignore "
            "on-demand exactly as before.",
        ),
        _r(
            "B4",
            "5.2",
            "Forward the type",
            "When the network supports on-demand, the stack passes the application's type on "
            "in its request.",
        ),
        _r(
            "B5",
            "5.2",
            "No type, no type asked",
            "If the application asks for no type, the stack must not ask for one either; the "
            "network's default decides the prefix's type.",
            "network.default_type",
        ),
        _r(
            "B6",
            "5.2",
            "Use what was given",
            "A prefix the host already has is used; the stack need not ask for another.",
        ),
        _r(
            "B7",
            "5.3",
            "Mixed old and new",
            "How a new host and an old network (or the reverse) get along is outside the "
            "draft. odplay's choice: a legacy network hands out untyped prefixes that behave "
            "like Non-persistent ones and refuses every typed request.",
            "network.legacy",
        ),
        _r(
            "R1",
            "5.4",
            "Do not mix with RFC 5014",
            "An application using setsc() and bind() should not also set RFC 5014's source "
            "preference flags.",
        ),
        _r(
            "R2",
            "5.4",
            "setsc()+bind() wins",
            "If it sets both, the stack honours setsc() and bind() and ignores the flags.",
        ),
        _r(
            "R3",
            "5.4",
            "setsc() without bind()",
            "If the application never binds, setsc() does not decide the socket's source: the "
            "stack picks one as for any socket that did not bind, the way the RFC 5014 flags "
            "steer it (odplay follows RFC 6724's order). That may still be the address setsc() "
            "made; the ladder says which, and why.",
        ),
        _r(
            "S1",
            "7",
            "Privileged types",
            "Some types, Fixed for instance, may be kept for privileged applications. How is "
            "outside the draft; odplay models a permission table and answers EPERM.",
            "host.permissions",
        ),
    )
}


def explain(rule_id: str) -> str:
    """One line for a learner: ID, section, title and explanation (and what Linux does, if else)."""
    rule = RULES[rule_id]
    line = f"{rule.id} (section {rule.section}) {rule.title}: {rule.explanation}"
    if rule.real_stack:
        line += f" On a real stack: {rule.real_stack}"
    return line


#: The families of rules, by the letter their IDs start with, in the draft's order.
FAMILIES: dict[str, str] = {
    "C": "Concepts (section 1)",
    "T": "Address types (section 3.2)",
    "G": "Granularity (section 3.3)",
    "D": "On demand (sections 3.1, 3.4, 3.5)",
    "A": "The API (sections 3.5, 4.1, 6)",
    "F": "The message flow of section 4.2, step by step",
    "B": "Backwards compatibility (section 5)",
    "R": "RFC 5014's flags (section 5.4)",
    "S": "Security (section 7)",
}


def _rfc_cell(standing: RfcStanding) -> str:
    """`**draft-only**. note` or `kept, section 3.2. note`: the RFC 8653 column of docs/rules.md."""
    where = f", {standing.where}" if standing.section else ""
    return f"**{standing.status.value}**{where}. {standing.note}"


def catalogue_markdown() -> str:
    """The whole catalogue as Markdown (docs/rules.md is this, so the docs cannot drift)."""
    lines = [
        "# The rule catalogue",
        "",
        "<!-- Generated from odplay/rules.py by `odplay rules --markdown`; do not edit by hand."
        " -->",
        "",
        "Every behaviour the draft (draft-ietf-dmm-ondemand-mobility-16) asks of a mobile "
        "host's stack, its network and its applications, numbered, with the section of the "
        "draft it comes from and odplay's own explanation. The IDs are used everywhere: in the "
        "ladder and the explanation panel, in scenario steps (`rules:`), in test names, and by "
        "`odplay rules ID`. Where the draft leaves the choice open, the last column names the "
        "setting that flips it ([choices.md](choices.md) has both sides of each); "
        "[rules-in-scenarios.md](rules-in-scenarios.md) lists the scenario steps that show "
        "each rule. The RFC 8653 column says where each rule stands in the RFC the draft "
        "became: kept, clarified, changed, weakened, or draft-only "
        "([draft-and-rfc.md](draft-and-rfc.md) explains the difference).",
    ]
    family = ""
    for rule in RULES.values():
        if rule.id[0] != family:
            family = rule.id[0]
            lines += [
                "",
                f"## {FAMILIES[family]}",
                "",
                "| ID | section | rule | in odplay's words | setting | RFC 8653 |",
                "|---|---|---|---|---|---|",
            ]
        setting = f"`{rule.choice}`" if rule.choice else ""
        words = rule.explanation
        if rule.real_stack:
            anchor = REAL_STACKS[rule.id][1]
            words += f" *On a real stack:* {rule.real_stack} ([more](real-stacks.md#{anchor}))"
        rfc = _rfc_cell(rule.rfc8653)
        lines.append(f"| {rule.id} | {rule.section} | {rule.title} | {words} | {setting} | {rfc} |")
    return "\n".join(lines) + "\n"
