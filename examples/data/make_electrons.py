#!/usr/bin/env python3
"""Generates examples/data/electrons.jsonl, the small JSON Lines sample of the json reader.

300 Z->ee-like events of a toy CMS-like detector, one JSON object per line (docs/formats/json.md):

  run, luminosityBlock, event   event identifiers (int)
  rho                           pile-up energy density in GeV (float)
  nElectron                     0..3 electrons per event (most events: the Z pair)
  Electron_pt/eta/phi           reconstructed kinematics (pt from the raw energy and eta)
  Electron_charge               +1/-1 (int); the Z pair has opposite charges
  Electron_energy               raw supercluster energy (GeV): energyTrue x response, the response
                                lower and wider for showering electrons and in the endcaps
  Electron_energyTrue           generator-level energy (GeV): the regression target
  Electron_r9                   E(3x3) / raw energy, computed from the window
  Electron_sieie                log-weighted sigma(ieta ieta) of the window, in eta units
  Electron_window               5x5 crystal energies (GeV) around the seed crystal: a two-Gaussian
                                shower (narrow core + wider tail) at a random impact point within the
                                seed crystal, integrated over each crystal, plus 40 MeV noise per crystal.
                                On average ~77% of the window sits in the seed, ~94% of the raw energy
                                in the 3x3 and ~97% in the 5x5 (the rest is bremsstrahlung outside it).

Z bosons: Breit-Wigner mass (91.19, 2.50 GeV), small transverse momentum, rapidity spread; the decay
is isotropic in the Z rest frame and boosted to the lab. Extra electrons (a third electron or single-
electron events) are soft (5-25 GeV). Electrons outside |eta| < 2.5 are lost. So some electrons have
pt < 25 GeV and some |eta| > 1.4442 (endcap and barrel-endcap gap): the example filters visibly cut.

Python 3 standard library only, fixed seed: running it again gives the same file byte for byte.
Usage: python3 examples/data/make_electrons.py [output]   (default: electrons.jsonl next to this script)
"""

import json
import math
import os
import random
import sys

SEED = 20240611
EVENTS = 300
Z_MASS, Z_WIDTH = 91.1876, 2.4952
ELECTRON_MASS = 0.000511
CRYSTAL_DETA = 0.0174  # barrel crystal size in eta (the endcap value is scaled below)


def z_decay(rng):
    """Two electron four-momenta (E, px, py, pz) from a Z boson decay in the lab frame."""
    while True:
        mass = Z_MASS + 0.5 * Z_WIDTH * math.tan(math.pi * (rng.random() - 0.5))
        if 70.0 < mass < 110.0:
            break
    pt = rng.expovariate(1.0 / 6.0)
    rapidity = rng.gauss(0.0, 1.1)
    phi = rng.uniform(-math.pi, math.pi)
    mt = math.hypot(mass, pt)
    z = (mt * math.cosh(rapidity), pt * math.cos(phi), pt * math.sin(phi), mt * math.sinh(rapidity))
    # Isotropic decay in the rest frame.
    cos_t = rng.uniform(-1.0, 1.0)
    sin_t = math.sqrt(1.0 - cos_t * cos_t)
    phi_d = rng.uniform(-math.pi, math.pi)
    p = mass / 2.0
    d = (p * sin_t * math.cos(phi_d), p * sin_t * math.sin(phi_d), p * cos_t)
    return [boost((mass / 2.0, s * d[0], s * d[1], s * d[2]), z, mass) for s in (1.0, -1.0)]


def boost(v, frame, mass):
    """Boosts four-vector v from the rest frame of `frame` (mass `mass`) to the lab."""
    e, px, py, pz = v
    b = (frame[1] / frame[0], frame[2] / frame[0], frame[3] / frame[0])
    b2 = b[0] ** 2 + b[1] ** 2 + b[2] ** 2
    gamma = frame[0] / mass
    bp = b[0] * px + b[1] * py + b[2] * pz
    k = (gamma - 1.0) * bp / b2 + gamma * e if b2 > 0 else 0.0
    return (gamma * (e + bp), px + k * b[0], py + k * b[1], pz + k * b[2])


def soft_electron(rng):
    pt = rng.uniform(5.0, 25.0)
    eta = rng.uniform(-2.6, 2.6)
    phi = rng.uniform(-math.pi, math.pi)
    p = pt * math.cosh(eta)
    return (math.hypot(p, ELECTRON_MASS), pt * math.cos(phi), pt * math.sin(phi), pt * math.sinh(eta))


def kinematics(v):
    e, px, py, pz = v
    pt = math.hypot(px, py)
    eta = math.asinh(pz / pt)
    return e, pt, eta, math.atan2(py, px)


def phi_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def window(rng, deposit, showering):
    """5x5 crystal energies (row = ieta, column = iphi) of a shower depositing `deposit` GeV."""
    dx, dy = rng.uniform(-0.4, 0.4), rng.uniform(-0.4, 0.4)
    tail = rng.uniform(0.15, 0.35) if showering else rng.uniform(0.03, 0.10)
    components = ((1.0 - tail, rng.uniform(0.15, 0.22)), (tail, rng.uniform(0.9, 1.3)))
    cells = []
    for i in range(-2, 3):
        row = []
        for j in range(-2, 3):
            fraction = 0.0
            for weight, sigma in components:
                fx = phi_cdf((i + 0.5 - dx) / sigma) - phi_cdf((i - 0.5 - dx) / sigma)
                fy = phi_cdf((j + 0.5 - dy) / sigma) - phi_cdf((j - 0.5 - dy) / sigma)
                fraction += weight * fx * fy
            row.append(round(deposit * fraction + rng.gauss(0.0, 0.04), 4))
        cells.append(row)
    return cells


def sigma_ieta_ieta(cells, endcap):
    total = sum(sum(row) for row in cells)
    weights = [[max(0.0, 4.7 + math.log(c / total)) if c > 0 else 0.0 for c in row] for row in cells]
    wsum = sum(sum(row) for row in weights)
    mean = sum(w * i for i, row in enumerate(weights) for w in row) / wsum
    var = sum(w * (i - mean) ** 2 for i, row in enumerate(weights) for w in row) / wsum
    # Scaled to typical CMS values (~0.009 barrel, ~0.025 endcap): the toy shower core is narrow.
    return math.sqrt(var) * CRYSTAL_DETA * (3.4 if endcap else 1.25)


def electron(rng, v, charge):
    e_true, _, eta, phi = kinematics(v)
    endcap = abs(eta) > 1.479
    showering = rng.random() < 0.25
    # Raw energy response: containment losses, more for showering electrons and in the endcaps.
    scale = (0.93 if showering else 0.965) - (0.02 if endcap else 0.0)
    resolution = (0.035 if showering else 0.015) + (0.015 if endcap else 0.0)
    raw = e_true * max(0.5, rng.gauss(scale, resolution))
    # Most of the raw energy lands in the 5x5 window; bremsstrahlung carries the rest outside.
    deposit = raw * (rng.uniform(0.94, 0.975) if showering else rng.uniform(0.98, 0.995))
    cells = window(rng, deposit, showering)
    e3x3 = sum(cells[i][j] for i in range(1, 4) for j in range(1, 4))
    return {
        "pt": round(raw / math.cosh(eta), 3),
        "eta": round(eta, 4),
        "phi": round(phi, 4),
        "charge": charge,
        "energy": round(raw, 3),
        "energyTrue": round(e_true, 3),
        "r9": round(min(e3x3 / raw, 1.0), 4),
        "sieie": round(sigma_ieta_ieta(cells, endcap), 5),
        "window": cells,
    }


def event_record(rng, index, lumi, number):
    kind = rng.random()
    electrons = []
    if index == 0 or kind < 0.80:
        pair = [(v, q) for v, q in zip(z_decay(rng), (-1, 1))]
        electrons.extend(pair)
        if kind < 0.10:
            electrons.append((soft_electron(rng), rng.choice((-1, 1))))
    elif kind < 0.93:
        electrons.append((soft_electron(rng), rng.choice((-1, 1))))
    # Keep electrons inside the tracker acceptance, highest pt first (as reconstruction does).
    accepted = [(v, q) for v, q in electrons if abs(kinematics(v)[2]) < 2.5]
    accepted.sort(key=lambda vq: -kinematics(vq[0])[1])
    objects = [electron(rng, v, q) for v, q in accepted]
    record = {
        "run": 362439,
        "luminosityBlock": lumi,
        "event": number,
        "rho": round(max(2.0, rng.gauss(22.0, 7.0)), 4),
        "nElectron": len(objects),
    }
    for field in ("pt", "eta", "phi", "charge", "energy", "energyTrue", "r9", "sieie", "window"):
        record["Electron_" + field] = [o[field] for o in objects]
    return record


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "electrons.jsonl")
    rng = random.Random(SEED)
    lumi, number = 51, 81234567
    with open(output, "w", encoding="utf-8", newline="\n") as f:
        for index in range(EVENTS):
            if index > 0 and index % 25 == 0:
                lumi += 1
            number += rng.randint(1, 4000)
            f.write(json.dumps(event_record(rng, index, lumi, number), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
