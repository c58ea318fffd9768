"""The draft's names and numbers in one table: address types, setsc() statuses, socket flags.

Section 6 of the draft is canonical. Where other sections spell a name differently (rule A7),
the other spelling is kept here as an alias that resolves to the canonical one, and
:data:`ERRATA` records each inconsistency and what odplay does about it.

Numbers the draft does not give are odplay's choice and are marked so; a learner sees them in
`odplay run` output and in docs/choices.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, IntFlag


class AddressType(IntEnum):
    """The 3-bit `addressType` field of setsc() (Section 6.1, rule A2). 0 and 5-7 are reserved."""

    FIXED_IPV6_ADDRESS = 1
    SESSION_LASTING_IPV6_ADDRESS = 2
    NON_PERSISTENT_IPV6_ADDRESS = 3
    GRACEFUL_REPLACEMENT_IPV6_ADDRESS = 4

    @property
    def code(self) -> str:
        """Two-letter code used in the draft's teaching names (PREFsl1, IPnp1)."""
        return _CODES[self]

    @property
    def slug(self) -> str:
        """The spelling used in scenario files and on the command line."""
        return _SLUGS[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


# The Section 6.1 names at module level, so code reads like the draft's (A2).
FIXED_IPV6_ADDRESS = AddressType.FIXED_IPV6_ADDRESS
SESSION_LASTING_IPV6_ADDRESS = AddressType.SESSION_LASTING_IPV6_ADDRESS
NON_PERSISTENT_IPV6_ADDRESS = AddressType.NON_PERSISTENT_IPV6_ADDRESS
GRACEFUL_REPLACEMENT_IPV6_ADDRESS = AddressType.GRACEFUL_REPLACEMENT_IPV6_ADDRESS

FIXED = AddressType.FIXED_IPV6_ADDRESS
SESSION_LASTING = AddressType.SESSION_LASTING_IPV6_ADDRESS
NON_PERSISTENT = AddressType.NON_PERSISTENT_IPV6_ADDRESS
GRACEFUL_REPLACEMENT = AddressType.GRACEFUL_REPLACEMENT_IPV6_ADDRESS

_CODES = {FIXED: "fx", SESSION_LASTING: "sl", NON_PERSISTENT: "np", GRACEFUL_REPLACEMENT: "gr"}
_SLUGS = {
    FIXED: "fixed",
    SESSION_LASTING: "session-lasting",
    NON_PERSISTENT: "non-persistent",
    GRACEFUL_REPLACEMENT: "graceful-replacement",
}
_LABELS = {
    FIXED: "Fixed",
    SESSION_LASTING: "Session-lasting",
    NON_PERSISTENT: "Non-persistent",
    GRACEFUL_REPLACEMENT: "Graceful-replacement",
}

#: The code of a prefix a legacy network hands out with no type at all (rule B7, odplay's choice).
LEGACY_CODE = "lg"

#: Every accepted spelling of a type, lower-cased. Canonical Section 6.1 names, the slugs used in
#: scenario files, the two-letter codes, and the Section 4.1 spelling (rule A7).
TYPE_ALIASES: dict[str, AddressType] = {}
for _t in AddressType:
    TYPE_ALIASES[_t.name.lower()] = _t
    TYPE_ALIASES[_t.slug] = _t
    TYPE_ALIASES[_t.code] = _t
# Section 4.1's pseudo-code names the Session-lasting type differently from Section 6.1 (A7).
TYPE_ALIASES["ipv6_require_session_lasting_ip"] = SESSION_LASTING


def parse_address_type(text: str) -> AddressType:
    """Resolve any accepted spelling of a type; raise ValueError naming the accepted ones."""
    key = text.strip().lower().replace("_", "-")
    for candidate in (key, key.replace("-", "_")):
        if candidate in TYPE_ALIASES:
            return TYPE_ALIASES[candidate]
    accepted = ", ".join(t.slug for t in AddressType)
    raise ValueError(f"unknown address type {text!r}; expected one of: {accepted}")


class Status(IntEnum):
    """Return values of the socket calls.

    The draft names setsc()'s statuses (A3) but gives them no numbers. odplay's choice: negative,
    like getaddrinfo()'s EAI_* codes, outside glibc's range. The classic errors keep their Linux
    errno numbers, positive. EPERM for a permission refusal (S1), ENOSYS for a legacy stack (B2)
    and EINVAL for a reserved type are odplay's choices too; the draft leaves them open.
    """

    SUCCESS = 0
    EAI_REQUIREDIPNOTSUPPORTED = -20
    EAI_REQUIREDIPFAILED = -21
    EPERM = 1
    EBADF = 9
    EINVAL = 22
    ENOSYS = 38
    EDESTADDRREQ = 89
    EOPNOTSUPP = 95
    EADDRINUSE = 98
    EADDRNOTAVAIL = 99
    ENETUNREACH = 101
    ECONNABORTED = 103
    EISCONN = 106
    ENOTCONN = 107
    EHOSTUNREACH = 113


class AddrPreference(IntFlag):
    """Flags of IPV6_ADDR_PREFERENCES: RFC 5014's, with Linux's values, plus the draft's ON_NET.

    IPV6_REQUIRE_SRC_ON_NET has no value in the draft (A6). odplay's choice is 0x1000, the lowest
    bit Linux does not use for RFC 5014.

    What the stack holds for a socket is not the value the application passed but, as on Linux,
    what is left of it once checked and reduced (see `stored_preferences`); one int, laid out:

    ========  ==========================  =================================================
    bits      holds                       why
    ========  ==========================  =================================================
    0x0001    TMP (prefer temporary)      the byte a Linux kernel keeps per socket: only
    0x0002    PUBLIC (prefer public)      TMP, PUBLIC and COA are remembered there; the
    0x0004    COA (prefer care-of)        rest of that byte stays 0
    0x0400    HOME, as the app asked it   odplay's own: Linux keeps HOME only as "not COA",
                                          but odplay's model honours HOME when it was asked
    0x1000    IPV6_REQUIRE_SRC_ON_NET     odplay's own: the kernel would drop it (A6)
    0xE000    the OnDemand field          odplay's own: RFC 8653 Appendix A's 3-bit field,
                                          the type's draft-16 value (1-4) shifted by 13
    ========  ==========================  =================================================

    PUBTMP_DEFAULT, CGA and NONCGA are accepted and not kept, as on Linux. getsockopt() reads
    the value back the way Linux composes it (`read_preferences`): TMP or PUBLIC or
    PUBTMP_DEFAULT, then COA or HOME, and odplay's ON_NET and OnDemand bits beside them.
    """

    IPV6_PREFER_SRC_TMP = 0x0001
    IPV6_PREFER_SRC_PUBLIC = 0x0002
    IPV6_PREFER_SRC_COA = 0x0004
    IPV6_PREFER_SRC_CGA = 0x0008
    IPV6_PREFER_SRC_PUBTMP_DEFAULT = 0x0100
    IPV6_PREFER_SRC_HOME = 0x0400
    IPV6_PREFER_SRC_NONCGA = 0x0800
    IPV6_REQUIRE_SRC_ON_NET = 0x1000


IPV6_REQUIRE_SRC_ON_NET = AddrPreference.IPV6_REQUIRE_SRC_ON_NET
ON_NET = AddrPreference.IPV6_REQUIRE_SRC_ON_NET
RFC5014_FLAGS = (
    AddrPreference.IPV6_PREFER_SRC_TMP
    | AddrPreference.IPV6_PREFER_SRC_PUBLIC
    | AddrPreference.IPV6_PREFER_SRC_COA
    | AddrPreference.IPV6_PREFER_SRC_CGA
    | AddrPreference.IPV6_PREFER_SRC_PUBTMP_DEFAULT
    | AddrPreference.IPV6_PREFER_SRC_HOME
    | AddrPreference.IPV6_PREFER_SRC_NONCGA
)

# Plain ints for the layout: `int & IntFlag` builds an enum member on every call.
_TMP, _PUBLIC, _COA = 0x0001, 0x0002, 0x0004
_CGA, _PUBTMP, _HOME, _NONCGA, _ON_NET = 0x0008, 0x0100, 0x0400, 0x0800, 0x1000
#: RFC 8653 Appendix A's "OnDemand" field (the socket-option API, host `api: sockopt`). The RFC
#: gives it no bits; odplay's choice is the three bits above ON_NET, the next ones Linux does not
#: use, holding the type's draft-16 value (1-4, A2): 0 means no type asked, 5-7 are reserved.
ON_DEMAND_SHIFT = 13
ON_DEMAND_MASK = 0x7 << ON_DEMAND_SHIFT  # 0xE000
#: The bits of the byte a Linux kernel keeps per socket (TMP, PUBLIC, COA).
KERNEL_PREFERENCES = _TMP | _PUBLIC | _COA
#: odplay's own bits beside that byte: HOME as asked, ON_NET, and the OnDemand field.
ODPLAY_PREFERENCES = _HOME | _ON_NET | ON_DEMAND_MASK


def on_demand_bits(type_: AddressType | int) -> int:
    """The OnDemand field holding a type (its draft-16 value), in IPV6_ADDR_PREFERENCES' bits."""
    return (int(type_) << ON_DEMAND_SHIFT) & ON_DEMAND_MASK


def on_demand_value(flags: int) -> int:
    """The OnDemand field's value in a preferences value: 0 (none), 1-4 (a type), 5-7."""
    return (int(flags) & ON_DEMAND_MASK) >> ON_DEMAND_SHIFT


#: Members of one group that contradict each other: setsockopt() answers EINVAL and changes
#: nothing, as Linux does (TMP, PUBLIC and PUBTMP_DEFAULT: at most one of the three).
CONFLICTING_GROUPS: tuple[tuple[int, ...], ...] = (
    (_HOME, _COA),
    (_TMP, _PUBLIC, _PUBTMP),
    (_CGA, _NONCGA),
)


def conflicting_flags(value: int) -> int:
    """The bits of the first group in which `value` sets more than one member; 0: none."""
    for group in CONFLICTING_GROUPS:
        hits = [bit for bit in group if value & bit]
        if len(hits) > 1:
            return sum(hits)
    return 0


def stored_preferences(value: int) -> int:
    """What the stack keeps of an accepted setsockopt() value (the layout above)."""
    return value & (KERNEL_PREFERENCES | ODPLAY_PREFERENCES)


def read_preferences(stored: int) -> int:
    """What getsockopt() reads back: the kernel's composition, and odplay's ON_NET bit."""
    if stored & _TMP:
        value = _TMP
    elif stored & _PUBLIC:
        value = _PUBLIC
    else:
        value = _PUBTMP
    value |= _COA if stored & _COA else _HOME
    return value | (stored & (_ON_NET | ON_DEMAND_MASK))


#: Short spellings of the flags for scenario files (`flags: [on-net, home]`).
FLAG_ALIASES: dict[str, AddrPreference] = {
    "on-net": ON_NET,
    "tmp": AddrPreference.IPV6_PREFER_SRC_TMP,
    "public": AddrPreference.IPV6_PREFER_SRC_PUBLIC,
    "coa": AddrPreference.IPV6_PREFER_SRC_COA,
    "cga": AddrPreference.IPV6_PREFER_SRC_CGA,
    "pubtmp-default": AddrPreference.IPV6_PREFER_SRC_PUBTMP_DEFAULT,
    "home": AddrPreference.IPV6_PREFER_SRC_HOME,
    "noncga": AddrPreference.IPV6_PREFER_SRC_NONCGA,
}
for _f in AddrPreference:
    assert _f.name is not None
    FLAG_ALIASES[_f.name.lower()] = _f


#: How a scenario file spells the OnDemand field among the flags: `on-demand=session-lasting`.
ON_DEMAND_PREFIX = "on-demand="


def parse_flag(text: str) -> int:
    """A flag by its name, or the OnDemand field with a type (`on-demand=session-lasting`)."""
    key = text.strip().lower().replace("_", "-")
    if key.startswith(ON_DEMAND_PREFIX):
        value = key.removeprefix(ON_DEMAND_PREFIX)
        if value in _RESERVED_ON_DEMAND:
            # A reserved value (A2), as a run records one set with raw bits (0xA000): it loads
            # back, and setsockopt() refuses it with EINVAL again when the file is replayed.
            return on_demand_bits(int(value))
        return on_demand_bits(parse_address_type(value))
    if key in FLAG_ALIASES:
        return FLAG_ALIASES[key]
    if key.replace("-", "_") in FLAG_ALIASES:
        return FLAG_ALIASES[key.replace("-", "_")]
    accepted = ", ".join(k for k in FLAG_ALIASES if "_" not in k)
    raise ValueError(f"unknown flag {text!r}; expected one of: {accepted}")


#: The OnDemand field's reserved values (A2), written as numbers: `on-demand=5`.
_RESERVED_ON_DEMAND = ("5", "6", "7")


def is_on_demand_flag(text: str) -> bool:
    """Whether a flag's name sets the OnDemand field (`on-demand=...`)."""
    return text.strip().lower().replace("_", "-").startswith(ON_DEMAND_PREFIX)


def one_on_demand(names: list[str], more: int = 0) -> None:
    """Refuse flags that give the OnDemand field more than one value (A2): its bits hold one
    type, and two OR'ed together would name a third. `more`: values given beside the flags."""
    given = [name for name in names if is_on_demand_flag(name)]
    if len(given) + more > 1:
        raise ValueError(
            f"flags: the OnDemand field holds one type; {len(given) + more} given "
            f"({', '.join(given) or 'none among the flags'}{' and on_demand' if more else ''})"
        )


#: (short name, bit) in a stable order, as plain ints: `int & IntFlag` builds an enum member.
_FLAG_BITS = tuple((name, int(f)) for name, f in FLAG_ALIASES.items() if "_" not in name)


def flag_names(flags: int) -> list[str]:
    """Short names of the set flags, in a stable order; the OnDemand field last, by its type."""
    if not flags:
        return []
    flags = int(flags)
    names = [name for name, bit in _FLAG_BITS if flags & bit]
    demand = on_demand_value(flags)
    if demand:
        type_ = _TYPE_BY_VALUE.get(demand)
        names.append(ON_DEMAND_PREFIX + (type_.slug if type_ else str(demand)))
    return names


_TYPE_BY_VALUE = {t.value: t for t in AddressType}


@dataclass(frozen=True)
class Erratum:
    """One place where the draft contradicts itself, and what odplay does (rule A7)."""

    where: str
    says: str
    canonical: str
    odplay_does: str


ERRATA: tuple[Erratum, ...] = (
    Erratum(
        where="Section 4.1 vs 6.1",
        says="the pseudo-code's type constant is IPV6_REQUIRE_SESSION_LASTING_IP",
        canonical="Section 6.1 defines SESSION_LASTING_IPV6_ADDRESS (value 2)",
        odplay_does="uses the 6.1 name; accepts the 4.1 spelling as an alias of it",
    ),
    Erratum(
        where="Section 4.1 vs 6.1",
        says="the pseudo-code passes the type by pointer (&sc_type)",
        canonical="Section 6.1's prototype takes `sc_type addressType` by value",
        odplay_does="setsc(sock, address_type) takes the type by value and returns the address",
    ),
    Erratum(
        where="Section 4.1",
        says="socket creation is treated as failed when `s != 0`",
        canonical="socket() returns a descriptor >= 0 on success and -1 on failure",
        odplay_does="socket() returns a descriptor from 3 upwards; only -1 would be a failure",
    ),
    Erratum(
        where="Section 6.2 vs 3.5",
        says="the option is called IPV6_ADDR_PREFERENCE at level IPPROTO6",
        canonical="RFC 5014 and Section 3.5 say IPV6_ADDR_PREFERENCES at level IPPROTO_IPV6",
        odplay_does="uses IPV6_ADDR_PREFERENCES (72) at IPPROTO_IPV6 (41), Linux's values",
    ),
    Erratum(
        where="Section 3.5 vs 6.2",
        says="Section 3.5 calls the new flag the ON_NET flag",
        canonical="Section 6.2 names it IPV6_REQUIRE_SRC_ON_NET",
        odplay_does="uses IPV6_REQUIRE_SRC_ON_NET and accepts on-net as its short name",
    ),
    Erratum(
        where="Section 4.1 vs 6.1",
        says="the pseudo-code declares `uint8_t sc_type` for the type",
        canonical="Section 6.1 declares the parameter as `sc_type addressType`: sc_type is a type",
        odplay_does="names the type AddressType, a 3-bit enumeration (A2)",
    ),
    Erratum(
        where="Section 4.1",
        says="`if (setsc(s, &sourceAddress, &sc_type)) == 0)` has one parenthesis too many",
        canonical="the intended test is `setsc(...) == 0`",
        odplay_does="returns the status first, `status, address = setsc(fd, type)`",
    ),
    Erratum(
        where="Section 4.1",
        says="the source address is stored in `sourceInfo.sin6_address`",
        canonical="the field of struct sockaddr_in6 is sin6_addr",
        odplay_does="binds to the address setsc() gave, by its name (IPsl1) or its value",
    ),
    Erratum(
        where="Section 4.1",
        says="the server's address is set in `serverAddress.sin6_addr`, which is never declared",
        canonical="the declared structure is serverInfo",
        odplay_does="connects to a correspondent by name; its address is in the network",
    ),
    Erratum(
        where="Section 4.1",
        says="`#include <netinnet/in.h>`, and declarations without semicolons",
        canonical="the header is <netinet/in.h>; C needs the semicolons",
        odplay_does="nothing to do: odplay is not C, and its README example runs as written",
    ),
)
