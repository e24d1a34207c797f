#!/usr/bin/env python3
"""Recompute every value of hybrid-kx's own hybrid vectors with references the crate never links.

Usage: check_own_vectors.py [VECTOR_DIR] [--acvp ACVP_DIR] [-v] [--self-test]

The vectors (test-vectors/hybrid/*.json, written by examples/gen_hybrid_vectors.rs with the crate)
would only check the crate against itself; this script recomputes them with implementations that
share no code with it, so that a value in those files is evidence. CI installs the pinned
references (scripts/requirements-vectors.txt) in a virtual environment and runs it three ways: the
references against NIST's ACVP vectors first (--acvp), every file, and --self-test (the checker
must report corrupted copies, so it can fail).

References
  ML-KEM-512/768/1024   kyber-py (pure Python FIPS 203): ML_KEM_*._keygen_internal(d, z) -> (ek, dk),
                        ._encaps_internal(ek, m) -> (K, c) (type + modulus check of ek),
                        .decaps(dk, c) -> K (ciphertext/dk length + H(ek) hash check)
                        second opinion for 768/1024: pyca `cryptography` mlkem (OpenSSL backend):
                        MLKEM*PrivateKey.from_seed_bytes(d||z), .decapsulate(c), MLKEM*PublicKey.from_public_bytes
  X25519                pyca X25519PrivateKey.from_private_bytes / exchange (raises on all-zero output)
                        + a pure-Python RFC 7748 ladder (below)
  P-256 / P-384         pyca ec.derive_private_key / from_encoded_point / exchange(ECDH)
                        + pure-Python affine arithmetic (below), self-checked against pyca

The TLS-layer rules are the script's own (no library computes them): the hybrid share has a fixed
length (KeyShareLength), an EC share must be the 0x04 uncompressed form (RFC 8446 4.2.8.2), and every
failure maps to the illegal_parameter alert (RFC 10024 section 5). They are reported as such.

Exit status 0 iff every file has 0 mismatches. With --acvp, kyber-py itself is first checked against
the NIST ACVP FIPS 203 vectors.
"""

import hashlib
import json
import os
import sys
import time
from collections import Counter

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, x25519 as pyca_x25519
from kyber_py.ml_kem import ML_KEM_512, ML_KEM_768, ML_KEM_1024

try:
    from cryptography.hazmat.primitives.asymmetric import mlkem as pyca_mlkem
    from cryptography.hazmat.backends.openssl import backend as _backend

    PYCA_MLKEM = _backend.mlkem_supported()
except ImportError:  # cryptography < the release that added ML-KEM
    PYCA_MLKEM = False

FORMAT = "hybrid-kx/hybrid-vectors/v1"

# The project's own vectors, from the repository root.
DEFAULT_VECTORS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                               "test-vectors", "hybrid")

# RFC 10024 / draft-ietf-tls-mlkem, typed from the specifications (not read from the files):
# group -> (codepoint, components in wire order).
GROUPS = {
    "X25519MLKEM768": (0x11EC, ["ML-KEM-768", "X25519"]),
    "SecP256r1MLKEM768": (0x11EB, ["P-256", "ML-KEM-768"]),
    "SecP384r1MLKEM1024": (0x11ED, ["P-384", "ML-KEM-1024"]),
    "MLKEM512": (0x0200, ["ML-KEM-512"]),
    "MLKEM768": (0x0201, ["ML-KEM-768"]),
    "MLKEM1024": (0x0202, ["ML-KEM-1024"]),
}

KEM = {"ML-KEM-512": ML_KEM_512, "ML-KEM-768": ML_KEM_768, "ML-KEM-1024": ML_KEM_1024}
KEM_SIZES = {"ML-KEM-512": (800, 768), "ML-KEM-768": (1184, 1088), "ML-KEM-1024": (1568, 1568)}


# ---------------------------------------------------------------- pure-Python X25519 (RFC 7748)
P25519 = 2**255 - 19


def _ladder(k: int, u: int) -> int:
    """x([k]u) as RFC 7748 returns it (0 for the point at infinity)."""
    x2, z2 = _ladder_xz(k, u)
    return x2 * pow(z2, P25519 - 2, P25519) % P25519


def _ladder_xz(k: int, u: int, bits: int = 255):
    """Montgomery ladder (RFC 7748 section 5), any k < 2^bits; projective (X, Z) of [k]u."""
    x1, x2, z2, x3, z3, swap = u, 1, 0, u, 1, 0
    for t in reversed(range(bits)):
        kt = (k >> t) & 1
        swap ^= kt
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = kt
        a, b = (x2 + z2) % P25519, (x2 - z2) % P25519
        aa, bb = a * a % P25519, b * b % P25519
        e = (aa - bb) % P25519
        c, d = (x3 + z3) % P25519, (x3 - z3) % P25519
        da, cb = d * a % P25519, c * b % P25519
        x3, z3 = (da + cb) ** 2 % P25519, x1 * (da - cb) ** 2 % P25519
        x2, z2 = aa * bb % P25519, e * (aa + 121665 * e) % P25519
    if swap:
        x2, z2 = x3, z3
    return x2, z2


def x25519_py(scalar: bytes, u: bytes) -> bytes:
    k = bytearray(scalar)
    k[0] &= 248
    k[31] &= 127
    k[31] |= 64
    u_int = int.from_bytes(u, "little") & ((1 << 255) - 1)
    return _ladder(int.from_bytes(k, "little"), u_int % P25519).to_bytes(32, "little")


# ---------------------------------------------------------------- pure-Python P-256 / P-384
CURVES = {
    "P-256": dict(
        pyca=ec.SECP256R1(), size=32,
        p=2**256 - 2**224 + 2**192 + 2**96 - 1,
        b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
        gx=0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
        gy=0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
        n=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551),
    "P-384": dict(
        pyca=ec.SECP384R1(), size=48,
        p=2**384 - 2**128 - 2**96 + 2**32 - 1,
        b=0xB3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF,
        gx=0xAA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A385502F25DBF55296C3A545E3872760AB7,
        gy=0x3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C00A60B1CE1D7E819D7A431D7C90EA0E5F,
        n=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973),
}


def _on_curve(c, x, y):
    p = c["p"]
    return 0 <= x < p and 0 <= y < p and (y * y - (x * x * x - 3 * x + c["b"])) % p == 0


def _add(c, P, Q):
    p = c["p"]
    if P is None:
        return Q
    if Q is None:
        return P
    if P[0] == Q[0] and (P[1] + Q[1]) % p == 0:
        return None
    if P == Q:
        lam = (3 * P[0] * P[0] - 3) * pow(2 * P[1], -1, p) % p
    else:
        lam = (Q[1] - P[1]) * pow(Q[0] - P[0], -1, p) % p
    x = (lam * lam - P[0] - Q[0]) % p
    return (x, (lam * (P[0] - x) - P[1]) % p)


def _mul(c, k, P):
    R = None
    while k:
        if k & 1:
            R = _add(c, R, P)
        P = _add(c, P, P)
        k >>= 1
    return R


def ec_public_py(name, scalar: bytes) -> bytes:
    c = CURVES[name]
    x, y = _mul(c, int.from_bytes(scalar, "big"), (c["gx"], c["gy"]))
    return b"\x04" + x.to_bytes(c["size"], "big") + y.to_bytes(c["size"], "big")


def ecdh_py(name, scalar: bytes, point: bytes) -> bytes:
    """Raises ValueError unless point is 04||X||Y on the curve."""
    c = CURVES[name]
    s = c["size"]
    if len(point) != 2 * s + 1 or point[0] != 4:
        raise ValueError("not an uncompressed point")
    x, y = int.from_bytes(point[1:1 + s], "big"), int.from_bytes(point[1 + s:], "big")
    if not _on_curve(c, x, y):
        raise ValueError("not on the curve")
    R = _mul(c, int.from_bytes(scalar, "big"), (x, y))
    if R is None:
        raise ValueError("identity")
    return R[0].to_bytes(s, "big")


def _self_check_curves():
    for name, c in CURVES.items():
        G = (c["gx"], c["gy"])
        assert _on_curve(c, *G), name
        assert _mul(c, c["n"], G) is None, name
        for k in (1, 2, 0xDEADBEEF):
            pk = ec.derive_private_key(k, c["pyca"]).public_key()
            pyca = pk.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
            assert pyca == ec_public_py(name, k.to_bytes(c["size"], "big")), (name, k)
    # RFC 7748 section 6.1
    a = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
    bpub = bytes.fromhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
    assert x25519_py(a, bpub).hex() == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"


# ---------------------------------------------------------------- component references
class Refused(Exception):
    """A reference (or the TLS framing rule) refused the input. kind = hybrid-kx error it maps to."""

    def __init__(self, kind, who, detail):
        super().__init__(f"{kind} by {who}: {detail}")
        self.kind, self.who, self.detail = kind, who, detail


def mlkem_keygen(comp, d, z):
    return KEM[comp]._keygen_internal(d, z)


def pyca_mlkem_verdict(comp, ek):
    """pyca (OpenSSL) parsing of ek: None if unavailable, else 'accepted' / the error."""
    if not PYCA_MLKEM or comp not in ("ML-KEM-768", "ML-KEM-1024"):
        return None
    cls = pyca_mlkem.MLKEM768PublicKey if comp == "ML-KEM-768" else pyca_mlkem.MLKEM1024PublicKey
    try:
        cls.from_public_bytes(ek)
        return "accepted"
    except ValueError as e:
        return f"ValueError({e})"


def mlkem_encaps(comp, ek, m):
    try:
        K, c = KEM[comp]._encaps_internal(ek, m)
    except ValueError as e:
        kind = "EncapsulationKeyModulus" if "Modulus check" in str(e) else "KeyShareLength"
        second = pyca_mlkem_verdict(comp, ek)
        raise Refused(kind, "kyber-py", str(e) + ("" if second is None else f"; pyca: {second}"))
    return c, K


def x25519_public(scalar):
    return pyca_x25519.X25519PrivateKey.from_private_bytes(scalar).public_key().public_bytes_raw()


def x25519_exchange(scalar, u):
    try:
        peer = pyca_x25519.X25519PublicKey.from_public_bytes(u)
    except ValueError as e:
        raise Refused("KeyShareLength", "pyca", str(e))
    try:
        return pyca_x25519.X25519PrivateKey.from_private_bytes(scalar).exchange(peer)
    except ValueError as e:
        zero = x25519_py(scalar, u) == bytes(32)
        raise Refused("X25519ZeroSharedSecret", "pyca",
                      str(e) + ("; pure-Python ladder: all-zero output" if zero
                                else "; DISAGREEMENT: pure-Python ladder output is not zero"))


def ec_public(name, scalar):
    key = ec.derive_private_key(int.from_bytes(scalar, "big"), CURVES[name]["pyca"])
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def ec_exchange(name, scalar, point, notes):
    c = CURVES[name]
    if len(point) != 2 * c["size"] + 1:
        raise Refused("KeyShareLength", "script (TLS framing)", f"{name} share of {len(point)} bytes")
    # pyca's own verdict on the encoding, recorded whatever the TLS rule says.
    try:
        peer = ec.EllipticCurvePublicKey.from_encoded_point(c["pyca"], point)
        pyca_verdict = None
    except ValueError as e:
        peer, pyca_verdict = None, str(e)
    if point[0] != 0x04:
        notes.append(f"tag {point[0]:02x}: pyca from_encoded_point -> "
                     + ("accepted" if pyca_verdict is None else f"ValueError({pyca_verdict!r})"))
        raise Refused("EcPointNotUncompressed", "script (RFC 8446 4.2.8.2 rule)", f"tag {point[0]:02x}")
    if pyca_verdict is not None:
        try:
            ecdh_py(name, scalar, point)
            notes.append("DISAGREEMENT: pure-Python accepts a point pyca refuses")
        except ValueError:
            pass
        raise Refused("EcPointNotOnCurve", "pyca", pyca_verdict)
    key = ec.derive_private_key(int.from_bytes(scalar, "big"), c["pyca"])
    return key.exchange(ec.ECDH(), peer)


# ---------------------------------------------------------------- the key exchange
def sizes(comp):
    if comp in KEM_SIZES:
        return KEM_SIZES[comp]
    if comp == "X25519":
        return 32, 32
    n = 2 * CURVES[comp]["size"] + 1
    return n, n


def ec_key_names(comp):
    return {"P-256": "p256", "P-384": "p384"}[comp]


def client_generate(comps, inp):
    share, state = b"", {}
    for comp in comps:
        if comp in KEM:
            ek, dk = mlkem_keygen(comp, inp["mlkem_d"], inp["mlkem_z"])
            share += ek
            state["dk"] = dk
        elif comp == "X25519":
            share += x25519_public(inp["x25519_client_private"])
        else:
            share += ec_public(comp, inp[ec_key_names(comp) + "_client_private"])
    return share, state


def split(comps, share, side):
    """Fixed offsets for all but the last component, which gets the rest (so a wrong total length
    reaches the last component's own parser too)."""
    parts, at = [], 0
    for i, comp in enumerate(comps):
        n = sizes(comp)[0 if side == "client" else 1]
        parts.append(share[at:] if i == len(comps) - 1 else share[at:at + n])
        at += n
    return parts


def component_length_verdicts(comps, share, side, inp):
    """What each reference says about its part when the total length is wrong (information)."""
    out = []
    for comp, part in zip(comps, split(comps, share, side)):
        n = sizes(comp)[0 if side == "client" else 1]
        if len(part) == n:
            continue
        try:
            if comp in KEM:
                if side == "client":
                    mlkem_encaps(comp, part, inp["mlkem_m"])
                else:
                    KEM[comp].decaps(client_generate([comp], inp)[1]["dk"], part)
            elif comp == "X25519":
                x25519_exchange(inp["x25519_client_private"], part)
            else:
                ec.EllipticCurvePublicKey.from_encoded_point(CURVES[comp]["pyca"], part)
            out.append(f"{comp} part of {len(part)} bytes ACCEPTED by its reference")
        except (Refused, ValueError) as e:
            who = "kyber-py" if comp in KEM else "pyca"
            out.append(f"{comp} part of {len(part)} bytes refused by {who}: {str(e)[:90]}")
    return out


def server_step(comps, client_share, inp, notes):
    want = sum(sizes(c)[0] for c in comps)
    if len(client_share) != want:
        notes.extend(component_length_verdicts(comps, client_share, "client", inp))
        raise Refused("KeyShareLength", "script (TLS framing)", f"{len(client_share)} != {want}")
    server_share, secret = b"", b""
    for comp, part in zip(comps, split(comps, client_share, "client")):
        if comp in KEM:
            c, K = mlkem_encaps(comp, part, inp["mlkem_m"])
            server_share += c
            secret += K
        elif comp == "X25519":
            s = inp["x25519_server_private"]
            server_share += x25519_public(s)
            secret += x25519_exchange(s, part)
        else:
            s = inp[ec_key_names(comp) + "_server_private"]
            server_share += ec_public(comp, s)
            secret += ec_exchange(comp, s, part, notes)
    return server_share, secret


def client_complete(comps, state, server_share, inp, notes):
    want = sum(sizes(c)[1] for c in comps)
    if len(server_share) != want:
        notes.extend(component_length_verdicts(comps, server_share, "server", inp))
        raise Refused("KeyShareLength", "script (TLS framing)", f"{len(server_share)} != {want}")
    secret = b""
    for comp, part in zip(comps, split(comps, server_share, "server")):
        if comp in KEM:
            secret += KEM[comp].decaps(state["dk"], part)
        elif comp == "X25519":
            secret += x25519_exchange(inp["x25519_client_private"], part)
        else:
            secret += ec_exchange(comp, inp[ec_key_names(comp) + "_client_private"], part, notes)
    return secret


# ---------------------------------------------------------------- second opinions
def cross_checks(comps, inp, client_share, server_share, secret):
    """pyca ML-KEM (768/1024) and the pure-Python X25519 / EC on a valid exchange: list of
    (name, ok)."""
    out, cat = [], 0
    cparts, sparts = split(comps, client_share, "client"), split(comps, server_share, "server")
    for comp, cp, sp in zip(comps, cparts, sparts):
        klen = 32 if comp in KEM or comp == "X25519" else CURVES[comp]["size"]
        k = secret[cat:cat + klen]
        cat += klen
        if comp in KEM:
            if PYCA_MLKEM and comp in ("ML-KEM-768", "ML-KEM-1024"):
                cls = pyca_mlkem.MLKEM768PrivateKey if comp == "ML-KEM-768" else pyca_mlkem.MLKEM1024PrivateKey
                sk = cls.from_seed_bytes(inp["mlkem_d"] + inp["mlkem_z"])
                out.append((f"pyca {comp} ek from seed", sk.public_key().public_bytes_raw() == cp))
                out.append((f"pyca {comp} decapsulate", sk.decapsulate(sp) == k))
        elif comp == "X25519":
            cpriv, spriv = inp["x25519_client_private"], inp["x25519_server_private"]
            out.append(("py X25519 client public", x25519_py(cpriv, (9).to_bytes(32, "little")) == cp))
            out.append(("py X25519 server public", x25519_py(spriv, (9).to_bytes(32, "little")) == sp))
            out.append(("py X25519 secret (server)", x25519_py(spriv, cp) == k))
            out.append(("py X25519 secret (client)", x25519_py(cpriv, sp) == k))
        else:
            n = ec_key_names(comp)
            cpriv, spriv = inp[n + "_client_private"], inp[n + "_server_private"]
            out.append((f"py {comp} client public", ec_public_py(comp, cpriv) == cp))
            out.append((f"py {comp} server public", ec_public_py(comp, spriv) == sp))
            out.append((f"py {comp} secret (server)", ecdh_py(comp, spriv, cp) == k))
            out.append((f"py {comp} secret (client)", ecdh_py(comp, cpriv, sp) == k))
    return out


# ---------------------------------------------------------------- documented mutations
def offsets(comps, comp, side):
    at = 0
    for c in comps:
        if c == comp:
            return at
        at += sizes(c)[0 if side == "client" else 1]
    raise KeyError(comp)


def coeffs12(b):
    out = []
    for i in range(0, len(b), 3):
        out += [b[i] | (b[i + 1] & 0x0F) << 8, b[i + 1] >> 4 | b[i + 2] << 4]
    return out


LOW_ORDER_DESC = {  # description in the comment -> (raw little-endian integer, order check)
    "u = 0 with the top bit set": (2**255, None),
    "u = 0": (0, None),
    "u = 1": (1, None),
    "u = p - 1": (P25519 - 1, 4),
    "u = p + 1": (P25519 + 1, None),
    "u = p (non-canonical 0)": (P25519, None),
    "the other point of order 8": (None, 8),
    "a point of order 8": (None, 8),
}


def has_order(u, order):
    """[order]u is the point at infinity (Z = 0) and [order/2]u is not."""
    return _ladder_xz(order, u)[1] % P25519 == 0 and _ladder_xz(order // 2, u)[1] % P25519 != 0


def expected_mutation(case, comps, valid_client, valid_server):
    """Rebuilds the malformed share from the valid shares and the documented defect; returns
    (share, problem) where problem is None when the file's share is the documented change."""
    defect, comment, op = case["defect"], case["comment"], case["operation"]
    side = "client" if op == "encapsulate" else "server"
    valid = valid_client if side == "client" else valid_server
    got = bytes.fromhex(case[side + "_share"])
    if defect.endswith("_truncated"):
        return (None if got == valid[:-1] else "not the valid share minus its last byte")
    if defect.endswith("_extended"):
        return (None if got == valid + b"\x00" else "not the valid share plus 00")
    if len(got) == len(valid):
        diff = [i for i in range(len(got)) if got[i] != valid[i]]
    if defect == "mlkem_ek_modulus":
        comp = next(c for c in comps if c in KEM)
        at, eklen = offsets(comps, comp, "client"), sizes(comp)[0]
        if len(got) != len(valid) or not diff or diff[0] < at or diff[-1] >= at + eklen - 32:
            return "change outside ek's t"
        a, b = coeffs12(valid[at:at + eklen - 32]), coeffs12(got[at:at + eklen - 32])
        changed = [i for i in range(len(a)) if a[i] != b[i]]
        if len(changed) != 1:
            return f"{len(changed)} coefficients changed"
        i, v = changed[0], b[changed[0]]
        want_i = 0 if "first coefficient" in comment else len(a) - 1 if "last coefficient" in comment else None
        want_v = 3329 if "3329" in comment else 4095 if "4095" in comment else None
        if (i, v) != (want_i, want_v) or v < 3329:
            return f"coefficient {i} = {v}, comment says {want_i} = {want_v}"
        return None
    if defect == "x25519_low_order":
        at = offsets(comps, "X25519", side)
        if len(got) != len(valid) or got[:at] + got[at + 32:] != valid[:at] + valid[at + 32:]:
            return "change outside the X25519 share"
        raw = int.from_bytes(got[at:at + 32], "little")
        for desc, (want_raw, order) in LOW_ORDER_DESC.items():
            if desc in comment:
                if want_raw is not None and raw != want_raw:
                    return f"u = {raw:#x}, comment says {desc}"
                if order is not None and not has_order((raw & (2**255 - 1)) % P25519, order):
                    return f"u does not have order {order}"
                return None
        return "unknown low-order description"
    # EC defects
    comp = next(c for c in comps if c in CURVES)
    s = CURVES[comp]["size"]
    at, n = offsets(comps, comp, side), 2 * s + 1
    vp = valid[at:at + n]
    parity = vp[-1] & 1
    if defect == "ec_compressed":
        want = bytes([2 | parity]) + vp[1:1 + s]
        return None if got == valid[:at] + want + valid[at + n:] else "not the compressed form"
    candidates = {
        "ec_not_on_curve": {
            "lowest bit of y flipped": vp[:-1] + bytes([vp[-1] ^ 1]),
            "0x04 followed by zeros": b"\x04" + bytes(2 * s),
        },
        "ec_not_uncompressed": {
            "compressed tag": bytes([2 | parity]) + vp[1:],
            "hybrid form": bytes([6 | parity]) + vp[1:],
            "identity encoding": bytes(n),
        },
    }[defect]
    for key, point in candidates.items():
        if key in comment:
            if got != valid[:at] + point + valid[at + n:]:
                return f"not the documented '{key}' change"
            if defect == "ec_not_on_curve":
                x, y = int.from_bytes(point[1:1 + s], "big"), int.from_bytes(point[1 + s:], "big")
                if _on_curve(CURVES[comp], x, y):
                    return "the point IS on the curve"
            return None
    return "unknown EC defect description"


# ---------------------------------------------------------------- per file
def derive(group, vid, name, n):
    return hashlib.shake_128(f"{FORMAT} {group} {vid} {name}".encode()).digest(n)


INPUT_LENS = {"mlkem_d": 32, "mlkem_z": 32, "mlkem_m": 32, "x25519_client_private": 32,
              "x25519_server_private": 32, "p256_client_private": 32, "p256_server_private": 32,
              "p384_client_private": 48, "p384_server_private": 48}


def expected_input_names(comps):
    client, server = [], []
    for c in comps:
        if c in KEM:
            client += ["mlkem_d", "mlkem_z"]
            server += ["mlkem_m"]
        elif c == "X25519":
            client += ["x25519_client_private"]
            server += ["x25519_server_private"]
        else:
            n = ec_key_names(c)
            client += [n + "_client_private"]
            server += [n + "_server_private"]
    return client + server


def check_file(path, verbose):
    t0 = time.time()
    v = json.load(open(path))
    group = v["group"]
    checked, mismatches, cross, cross_bad = 0, [], 0, []
    verdicts = Counter()
    info = []

    def check(ok, what):
        nonlocal checked
        checked += 1
        if not ok:
            mismatches.append(what)

    codepoint, comps = GROUPS[group]
    check(os.path.basename(path) == group + ".json", "file name")
    check(v["format"] == FORMAT, "format")
    check(v["codepoint"] == codepoint, f"codepoint {v['codepoint']} != {codepoint}")
    check(v["components"] == comps, f"components {v['components']} != {comps}")
    check(v["client_share_len"] == sum(sizes(c)[0] for c in comps), "client_share_len")
    check(v["server_share_len"] == sum(sizes(c)[1] for c in comps), "server_share_len")
    secret_len = sum(32 if c in KEM or c == "X25519" else CURVES[c]["size"] for c in comps)
    check(v["shared_secret_len"] == secret_len, "shared_secret_len")
    check(v["input_derivation"] == "each input is the first N bytes of SHAKE-128 of the ASCII label "
          f"'{FORMAT} {group} <id> <input name>'", "input_derivation")
    ids = [c["id"] for c in v["valid"] + v["invalid"]]
    check(ids == list(range(1, len(ids) + 1)), "ids not 1..N in order")
    names = expected_input_names(comps)

    def inputs_of(case):
        inp = {k: bytes.fromhex(x) for k, x in case["inputs"].items()}
        check(list(inp) == names, f"id {case['id']}: input names {list(inp)}")
        for k in names:
            check(inp.get(k) == derive(group, case["id"], k, INPUT_LENS[k]), f"id {case['id']}: input {k}")
        return inp

    for case in v["valid"]:
        vid = case["id"]
        inp = inputs_of(case)
        cs, state = client_generate(comps, inp)
        check(cs.hex() == case["client_share"], f"valid {vid}: client_share")
        notes = []
        try:
            ss, secret = server_step(comps, bytes.fromhex(case["client_share"]), inp, notes)
            check(ss.hex() == case["server_share"], f"valid {vid}: server_share")
            check(secret.hex() == case["shared_secret"], f"valid {vid}: shared_secret (server)")
        except Refused as e:
            check(False, f"valid {vid}: server step refused: {e}")
            check(False, f"valid {vid}: shared_secret (server)")
        try:
            k = client_complete(comps, state, bytes.fromhex(case["server_share"]), inp, notes)
            check(k.hex() == case["shared_secret"], f"valid {vid}: shared_secret (client)")
        except Refused as e:
            check(False, f"valid {vid}: completion refused: {e}")
        for name, ok in cross_checks(comps, inp, cs, bytes.fromhex(case["server_share"]),
                                     bytes.fromhex(case["shared_secret"])):
            cross += 1
            if not ok:
                cross_bad.append(f"valid {vid}: {name}")

    for case in v["invalid"]:
        vid = case["id"]
        inp = inputs_of(case)
        valid_client, state = client_generate(comps, inp)
        valid_server, _ = server_step(comps, valid_client, inp, [])
        problem = expected_mutation(case, comps, valid_client, valid_server)
        check(problem is None, f"invalid {vid} ({case['defect']}): share is not the documented change: {problem}")
        notes = []
        if case["defect"] == "ec_compressed":
            comp = next(c for c in comps if c in CURVES)
            side = "client" if case["operation"] == "encapsulate" else "server"
            at, n = offsets(comps, comp, side), CURVES[comp]["size"] + 1
            point = bytes.fromhex(case[side + "_share"])[at:at + n]
            valid = (valid_client if side == "client" else valid_server)[at:at + 2 * n - 1]
            try:
                pk = ec.EllipticCurvePublicKey.from_encoded_point(CURVES[comp]["pyca"], point)
                same = pk.public_bytes(serialization.Encoding.X962,
                                       serialization.PublicFormat.UncompressedPoint) == valid
                notes.append(f"pyca ACCEPTS the {n}-byte compressed point alone"
                             + (" (= the valid point)" if same else " (a different point!)")
                             + ": only the TLS length rule refuses it")
            except ValueError as e:
                notes.append(f"pyca refuses the compressed point alone: {e}")
        try:
            if case["operation"] == "encapsulate":
                server_step(comps, bytes.fromhex(case["client_share"]), inp, notes)
            else:
                client_complete(comps, state, bytes.fromhex(case["server_share"]), inp, notes)
            check(False, f"invalid {vid} ({case['defect']}): ACCEPTED by the references")
        except Refused as e:
            check(e.kind == case["error"], f"invalid {vid}: refused as {e.kind}, file says {case['error']}")
            verdicts[(case["error"], e.who)] += 1
            if verbose or notes:
                info.append(f"  id {vid} {case['defect']} ({case['operation']}): {e.who}: {e.detail[:240]}"
                            + "".join(f"\n      note: {n}" for n in notes))
        # The alert is a TLS-layer constant (RFC 10024 section 5): no library computes it.
        check(case["alert"] == "illegal_parameter", f"invalid {vid}: alert {case['alert']}")

    print(f"{os.path.basename(path)}: {len(v['valid'])} valid + {len(v['invalid'])} invalid cases, "
          f"{checked} values checked, {len(mismatches)} mismatches; "
          f"{cross} second-reference cross-checks, {len(cross_bad)} mismatches ({time.time() - t0:.1f}s)")
    for (err, who), n in sorted(verdicts.items()):
        print(f"    {err}: {n} refused by {who}")
    for m in mismatches + cross_bad:
        print(f"    MISMATCH {m}")
    for line in info:
        print(line)
    return not mismatches and not cross_bad


# ---------------------------------------------------------------- kyber-py vs NIST ACVP
def acvp_check(root):
    def joined(d):
        prompt = json.load(open(f"{root}/{d}/prompt.json"))
        exp = json.load(open(f"{root}/{d}/expectedResults.json"))
        res = {t["tcId"]: t for g in exp["testGroups"] for t in g["tests"]}
        for g in prompt["testGroups"]:
            for t in g["tests"]:
                yield g, t, res[t["tcId"]]

    def f(g, t, k):
        return bytes.fromhex(t[k] if k in t else g[k])

    tally = Counter()
    for g, t, r in joined("ML-KEM-keyGen-FIPS203"):
        ek, dk = KEM[g["parameterSet"]]._keygen_internal(f(g, t, "d"), f(g, t, "z"))
        tally[("keyGen", ek == bytes.fromhex(r["ek"]) and dk == bytes.fromhex(r["dk"]))] += 1
    for g, t, r in joined("ML-KEM-encapDecap-FIPS203"):
        kem, fn = KEM[g["parameterSet"]], g["function"]
        if fn == "encapsulation":
            K, c = kem._encaps_internal(f(g, t, "ek"), f(g, t, "m"))
            ok = K == bytes.fromhex(r["k"]) and c == bytes.fromhex(r["c"])
        elif fn == "decapsulation":
            ok = kem.decaps(f(g, t, "dk"), f(g, t, "c")) == bytes.fromhex(r["k"])
        elif fn == "encapsulationKeyCheck":
            try:
                kem._encaps_internal(f(g, t, "ek"), bytes(32))
                accepted = True
            except ValueError:
                accepted = False
            ok = accepted == r["testPassed"]
        else:  # decapsulationKeyCheck: kyber-py checks length and H(ek) inside decaps
            ctlen = 32 * (kem.du * kem.k + kem.dv)
            try:
                kem.decaps(f(g, t, "dk"), bytes(ctlen))
                accepted = True
            except ValueError:
                accepted = False
            ok = accepted == r["testPassed"]
        tally[(fn, ok)] += 1
    bad = sum(n for (_, ok), n in tally.items() if not ok)
    for (fn, ok), n in sorted(tally.items()):
        print(f"  kyber-py ACVP {fn}: {n} {'passed' if ok else 'FAILED'}")
    return bad == 0


def self_test(vec_dir):
    """The checker must fail on corrupted copies: one byte of a secret, an error name, a low-order
    u, the component order, an input, an ML-KEM coefficient. Returns True if every one is caught."""
    import shutil
    import tempfile

    def edit(v):
        name = v["group"]
        if name == "X25519MLKEM768":
            s = v["valid"][0]["shared_secret"]
            v["valid"][0]["shared_secret"] = s[:-1] + ("0" if s[-1] != "0" else "1")
            v["invalid"][0]["error"] = "EcPointNotOnCurve"
            c = next(c for c in v["invalid"] if c["defect"] == "x25519_low_order" and "client_share" in c)
            b = bytearray.fromhex(c["client_share"])
            b[-32] ^= 1
            c["client_share"] = b.hex()
        elif name == "SecP256r1MLKEM768":
            v["components"] = v["components"][::-1]
            m = v["valid"][1]["inputs"]["mlkem_m"]
            v["valid"][1]["inputs"]["mlkem_m"] = ("1" if m[0] != "1" else "2") + m[1:]
        elif name == "MLKEM768":
            c = next(c for c in v["invalid"] if c["defect"] == "mlkem_ek_modulus")
            b = bytearray.fromhex(c["client_share"])
            b[1] = (b[1] & 0xF0) | 0x0C  # the documented 3329 becomes 3073 (< q): a valid key
            c["client_share"] = b.hex()
        else:
            return False
        return True

    tmp = tempfile.mkdtemp()
    try:
        caught = True
        for f in sorted(os.listdir(vec_dir)):
            if not f.endswith(".json"):
                continue
            v = json.load(open(os.path.join(vec_dir, f)))
            if edit(v):
                path = os.path.join(tmp, f)
                json.dump(v, open(path, "w"))
                print(f"self-test: corrupted copy of {f}:")
                caught &= not check_file(path, False)
        return caught
    finally:
        shutil.rmtree(tmp)


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    acvp = None
    if "--acvp" in args:
        acvp = args[args.index("--acvp") + 1]
    rest = [a for i, a in enumerate(args) if a != "-v" and a != "--acvp" and (i == 0 or args[i - 1] != "--acvp")]
    vec_dir = rest[0] if rest else DEFAULT_VECTORS
    import cryptography
    from importlib.metadata import version
    print(f"references: kyber-py {version('kyber-py')}, cryptography {cryptography.__version__} "
          f"({_backend.openssl_version_text()}), pyca ML-KEM {'yes' if PYCA_MLKEM else 'no'}; "
          f"Python {sys.version.split()[0]}")
    _self_check_curves()
    ok = True
    if "--self-test" in args:
        rest = [a for a in rest if a != "--self-test"]
        vec_dir = rest[0] if rest else DEFAULT_VECTORS
        caught = self_test(vec_dir)
        print("self-test: every corruption caught" if caught else "self-test: a corruption was NOT caught")
        return 0 if caught else 1
    if acvp:
        ok &= acvp_check(acvp)
    files = sorted(f for f in os.listdir(vec_dir) if f.endswith(".json"))
    for f in files:
        ok &= check_file(os.path.join(vec_dir, f), verbose)
    print("ALL OK" if ok else "MISMATCHES")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
