#!/usr/bin/env python3
"""rb-tree.py gen DIR FILES MB SEED   writes FILES files (~MB MiB in all) under DIR/dNNN/:
half by count random bytes (.jpg, incompressible), half word text (.txt); sizes vary 0.2x-1.8x.
rb-tree.py churn DIR NIGHT PERCENT    one night's churn of PERCENT % of the files, by count:
60% of it rewritten in place (new content, same size), 30% new files, 10% deleted.
Deterministic for a seed / night."""
import os, random, sys

WORDS = ("the of and to in is you that it he was for on are as with his they at be this from have or by "
         "wordpress backup restore server database theme plugin gallery media upload archive release "
         "garden recipe travel coffee morning summer winter café naïve über straße").split()

def content(rng, size, jpg):
    if jpg:
        return rng.randbytes(size)
    out, n = [], 0
    while n < size:
        w = rng.choice(WORDS); out.append(w); n += len(w.encode()) + 1
    return (" ".join(out)).encode()[:size]

def write(path, rng, size, jpg):
    with open(path, "wb") as f:
        f.write(content(rng, size, jpg))

def gen(root, files, mb, seed):
    rng = random.Random(seed)
    avg = mb * 1048576 // files
    for i in range(files):
        d = os.path.join(root, "d%03d" % (i % 200))
        os.makedirs(d, exist_ok=True)
        jpg = i % 2 == 0
        write(os.path.join(d, "f%06d.%s" % (i, "jpg" if jpg else "txt")), rng, max(16, int(avg * rng.uniform(0.2, 1.8))), jpg)

def churn(root, night, percent):
    rng = random.Random(1000 + night)
    files = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(root) for f in fs)
    n = max(1, len(files) * percent // 100)
    modify, add, delete = n * 6 // 10, n * 3 // 10, n - n * 6 // 10 - n * 3 // 10
    avg = sum(os.path.getsize(p) for p in files) // len(files)
    picks = rng.sample(files, modify + delete)
    for p in picks[:modify]:
        write(p, rng, os.path.getsize(p), p.endswith(".jpg"))
    for p in picks[modify:]:
        os.remove(p)
    for k in range(add):
        jpg = k % 2 == 0
        d = os.path.join(root, "d%03d" % rng.randrange(200))
        os.makedirs(d, exist_ok=True)
        write(os.path.join(d, "n%02d-%05d.%s" % (night, k, "jpg" if jpg else "txt")), rng, max(16, int(avg * rng.uniform(0.2, 1.8))), jpg)
    print(f"night {night}: {modify} modified, {add} added, {delete} deleted")

if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        churn(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
