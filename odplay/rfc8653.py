"""Where each of draft-16's rules stands in RFC 8653, the text the draft was published as.

odplay models draft-ietf-dmm-ondemand-mobility-16, but the document a reader will cite is RFC
8653, and drafts 17 and 18 did more than copy-edit: the API, its numbers and both worked examples
went, a few requirements were weakened or widened, and privacy advice was added. This module
records, for every rule ID, the RFC's verdict on it (kept, clarified, changed, weakened, or gone:
draft-only), the RFC section that now carries it, and one sentence in odplay's words on what
changed. `odplay/rules.py` attaches it to each rule; `odplay rules --rfc` and `--json`, the
playground's explanation panel, docs/rules.md and docs/draft-and-rfc.md show it.

Sections are renumbered: draft 3.1-3.4 are RFC 3.1-3.4, draft 3.5 is RFC Appendix A, draft 5.x
is RFC 4.x and draft 7 is RFC 5; draft sections 4 and 6 have no counterpart.

The RFC has slips of its own; :data:`RFC_ERRATA` lists them beside the draft's (rule A7).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from odplay.constants import Erratum


class RfcStatus(StrEnum):
    """The RFC's verdict on a draft-16 rule."""

    #: The same requirement, perhaps in other words.
    KEPT = "kept"
    #: The same substance, stated more generally or more precisely.
    CLARIFIED = "clarified"
    #: Still there, but it asks for something else, or survives only in part.
    CHANGED = "changed"
    #: Still there, but as advice where the draft had a requirement.
    WEAKENED = "weakened"
    #: Nothing in the RFC says it.
    DRAFT_ONLY = "draft-only"


#: The words the playground shows beside a rule (or name) that only draft-16 has.
DRAFT_ONLY_BADGE = "draft-16 only"


@dataclass(frozen=True)
class RfcStanding:
    """A rule's place in RFC 8653: its status, the RFC section ("" when none), what changed."""

    status: RfcStatus
    section: str
    note: str

    @property
    def draft_only(self) -> bool:
        return self.status is RfcStatus.DRAFT_ONLY

    @property
    def where(self) -> str:
        """`section 3.4`, `Appendix A`, or "" for a rule the RFC does not have."""
        if not self.section or self.section.startswith("Appendix"):
            return self.section
        return f"section {self.section}"

    def label(self) -> str:
        """`kept, RFC 8653 section 3.2` or `draft-only`: a short tag for one line."""
        if not self.section:
            return self.status.value
        return f"{self.status.value}, RFC 8653 {self.where}"


_KEPT, _CLAR, _CHG, _WEAK, _GONE = (
    RfcStatus.KEPT,
    RfcStatus.CLARIFIED,
    RfcStatus.CHANGED,
    RfcStatus.WEAKENED,
    RfcStatus.DRAFT_ONLY,
)
_NO_EXAMPLE = "The RFC has no worked example (draft-16's 4.2 flow was dropped); "

#: Rule ID -> its standing in RFC 8653. Every rule of odplay/rules.py has one (a test checks).
STANDINGS: dict[str, RfcStanding] = {
    "C1": RfcStanding(_KEPT, "1", "The introduction defines session continuity as draft-16 does."),
    "C2": RfcStanding(_KEPT, "1", "The introduction defines address reachability the same way."),
    "C3": RfcStanding(
        _KEPT, "1", "The same case against anchoring every socket's traffic at one point."
    ),
    "C4": RfcStanding(_KEPT, "1", "The same remark on mobility handled above IP."),
    "T1": RfcStanding(_KEPT, "3.2", "Same meaning; Appendix A's constant is FIXED_IP_ADDRESS."),
    "T2": RfcStanding(
        _KEPT,
        "3.2",
        "Same meaning; the RFC writes Session-Lasting, constant SESSION_LASTING_IP_ADDRESS.",
    ),
    "T3": RfcStanding(
        _KEPT, "3.2", "Same meaning; the RFC writes Nonpersistent, without the hyphen."
    ),
    "T4": RfcStanding(_KEPT, "3.2", "Same meaning; the RFC writes Graceful-Replacement."),
    "T5": RfcStanding(_KEPT, "3.2", "The same example applications for each type."),
    "G1": RfcStanding(_KEPT, "3.3", "The type is still chosen socket by socket."),
    "D1": RfcStanding(_KEPT, "3.1", "Unchanged: the application says what it needs."),
    "D2": RfcStanding(_KEPT, "3.1", "Unchanged: a prefix of the type already held is used."),
    "D3": RfcStanding(
        _KEPT,
        "3.1, 3.4",
        "The SHALL of Section 3.4 stands; the extra MUST of draft section 3.5 went with that "
        "section, so the rule now rests on 3.4 alone.",
    ),
    "D4": RfcStanding(
        _KEPT,
        "3.4",
        "Still a SHALL, but the RFC only says the request returns an error: it names no code "
        "(see A3).",
    ),
    "D5": RfcStanding(
        _KEPT, "3.1, 3.4", "Unchanged: a granted prefix gives the socket an address."
    ),
    "D6": RfcStanding(_KEPT, "3.4", "Unchanged: any number of addresses of each type."),
    "D7": RfcStanding(
        _KEPT,
        "3.4",
        "Still allowed; only the example that showed it (IPnp1 handed out twice in 4.2) is gone.",
    ),
    "D8": RfcStanding(_KEPT, "3.4", "Unchanged: release or keep is the host's policy."),
    "D9": RfcStanding(_KEPT, "3.4", "Unchanged: reuse and fresh requests, in any mix."),
    "D10": RfcStanding(
        _CHG,
        "3.4",
        "The default-type item is reworded so that, read literally, it covers an application "
        "that does not say whether it knows the API; odplay keeps draft-16's meaning (see "
        "odplay errata).",
    ),
    "D11": RfcStanding(
        _GONE,
        "",
        "The trade-off between a held address and a fresh prefix went with draft section 3.5 "
        "and ON_NET.",
    ),
    "A1": RfcStanding(
        _CHG,
        "Appendix A",
        "setsc() survives only as one of two informative suggestions, with no signature and no "
        "defined result; the RFC requires no API at all.",
    ),
    "A2": RfcStanding(
        _CHG,
        "Appendix A",
        "The four names survive, with IP_ADDRESS for IPV6_ADDRESS, as values of a suggested "
        "OnDemand field; "
        "the 3-bit field, the values 1-4 and the reserved 0 and 5-7 are draft-16 only.",
    ),
    "A3": RfcStanding(
        _GONE,
        "",
        "The RFC names no status codes: a failed request just returns an error (Section 3.4), "
        "so EAI_REQUIREDIPNOTSUPPORTED and EAI_REQUIREDIPFAILED are draft-16's.",
    ),
    "A4": RfcStanding(
        _CHG,
        "Appendix A",
        "After setsc() the application may call bind(), Appendix A says; connect() and the "
        "error handling went with draft section 4.1's pseudo-code.",
    ),
    "A5": RfcStanding(
        _CHG,
        "Appendix A",
        "setsc() may still wait for the network's answer, now set against a setsockopt() route "
        "that returns at once; the ON_NET clause is gone.",
    ),
    "A6": RfcStanding(
        _GONE,
        "",
        "ON_NET was removed; Appendix A suggests instead an OnDemand field in the same option "
        "that carries the type itself.",
    ),
    "A7": RfcStanding(
        _GONE,
        "",
        "The pseudo-code and its inconsistencies are gone; the RFC has slips of its own (odplay "
        "errata).",
    ),
    "F1": RfcStanding(
        _GONE, "", _NO_EXAMPLE + "prefixes given at attachment are still covered by D6 and B6."
    ),
    "F2": RfcStanding(
        _GONE, "", _NO_EXAMPLE + "using a held Non-persistent prefix is still D2 (Section 3.1)."
    ),
    "F3": RfcStanding(
        _GONE, "", _NO_EXAMPLE + "handing IPnp1 out again is still allowed by D7 (Section 3.4)."
    ),
    "F4": RfcStanding(
        _GONE, "", _NO_EXAMPLE + "using a held Session-lasting prefix is still D2 (Section 3.1)."
    ),
    "F5": RfcStanding(
        _GONE, "", _NO_EXAMPLE + "a Non-persistent prefix lost at a gateway change is still T3."
    ),
    "F6": RfcStanding(
        _GONE, "", _NO_EXAMPLE + "opening new sockets on the new prefix follows from T3."
    ),
    "F7": RfcStanding(
        _GONE, "", _NO_EXAMPLE + "a Session-lasting prefix outliving the move is still T2."
    ),
    "F8": RfcStanding(
        _GONE,
        "",
        _NO_EXAMPLE + "failing a type the network does not offer is still D4 (Section 3.4), "
        "with no named code.",
    ),
    "F9": RfcStanding(
        _GONE, "", _NO_EXAMPLE + "trying another type after a failure is the application's choice."
    ),
    "B1": RfcStanding(_KEPT, "4.1", "Unchanged: legacy applications get no on-demand service."),
    "B2": RfcStanding(
        _WEAK,
        "4.1",
        "New applications should (lowercase: advice, no longer a MUST) expect legacy stacks "
        "and networks; the error and the fallback to legacy calls remain.",
    ),
    "B3": RfcStanding(_KEPT, "4.2", "Unchanged: every legacy operation keeps working."),
    "B4": RfcStanding(_KEPT, "4.2", "Unchanged: the stack passes the type on to the network."),
    "B5": RfcStanding(_KEPT, "4.2", "Unchanged: no type asked, none requested."),
    "B6": RfcStanding(_KEPT, "4.2", "Unchanged: a prefix already given is used."),
    "B7": RfcStanding(_KEPT, "4.3", "Still left out of scope."),
    "R1": RfcStanding(
        _CHG,
        "4.4",
        "Widened: any application that wants continuity should leave RFC 5014's flags alone, "
        "whatever mechanism it uses, not only one calling setsc() and bind().",
    ),
    "R2": RfcStanding(
        _CLAR,
        "4.4",
        "Generalised: a type request beats RFC 5014's flags whatever mechanism carries it; "
        "setsc() with bind() is one case of it.",
    ),
    "R3": RfcStanding(
        _GONE,
        "",
        "The paragraph on setsc() without bind() was removed: the RFC does not say which "
        "source such a socket gets.",
    ),
    "S1": RfcStanding(
        _CHG,
        "5",
        "Rewritten around cost: a malicious application could run up charges or use up scarce "
        "types, so hosts should let only authorised applications have them.",
    ),
}


def standing(rule_id: str) -> RfcStanding:
    """The RFC 8653 standing of a rule ID (KeyError for an ID the catalogue does not have)."""
    return STANDINGS[rule_id]


#: Where RFC 8653's own text is unclear or wrong, beside the draft's (constants.ERRATA).
RFC_ERRATA: tuple[Erratum, ...] = (
    Erratum(
        where="RFC 8653 Section 5",
        says="applications are told to set the On-Demand flag regularly, a flag the RFC never "
        "defines",
        canonical="probably what is left of draft-16's ON_NET (ask for a fresh prefix), removed "
        "before publication, or else Appendix A's OnDemand field",
        odplay_does="models both readings: draft-16's ON_NET asks for a fresh prefix (and "
        "host.allocation fresh for every socket), Appendix A's OnDemand field is host.api "
        "sockopt; what the advice is for, renewing addresses, is host.rotation",
    ),
    Erratum(
        where="RFC 8653 Section 3.4 (D10)",
        says="the default type applies when an application does not say whether it supports "
        "the API or is a legacy application",
        canonical="draft-16's meaning, worded differently: the default applies to any socket "
        "that asks for no type, whether its application knows the API or is legacy",
        odplay_does="keeps draft-16's meaning: host.default_type decides for every socket that "
        "names no type",
    ),
    Erratum(
        where="RFC 8653 Appendix A",
        says="the OnDemand field of IPV6_ADDR_PREFERENCES is suggested with its four type names "
        "and no bits, no values, and nothing on what a socket that connects before the prefix "
        "comes is given",
        canonical="a suggestion, not a definition: an implementation has to choose all three",
        odplay_does="puts the field in bits 0xE000 with draft-16's values, and makes the rest a "
        "setting: host.sockopt_connect wait (connect() waits for the type) or now (it goes "
        "from what source selection picks)",
    ),
    Erratum(
        where="RFC 8653, one place",
        says="the option is spelled IPV6_ADDR_REFERENCE",
        canonical="RFC 5014's IPV6_ADDR_PREFERENCES, which the RFC names correctly elsewhere",
        odplay_does="uses IPV6_ADDR_PREFERENCES (72) at IPPROTO_IPV6 (41), Linux's values",
    ),
)
