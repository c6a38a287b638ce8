#!/usr/bin/env python3
"""rb-sidecars.py SIDECAR.json OUT_SITE_DIR COUNT: COUNT copies of one real sidecar, one every
3 hours going back from its own time, each with its own id (file name and every occurrence of
the original id and creation time in the JSON rewritten). No archives: listing reads sidecars."""
import datetime as dt, os, re, sys
src, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(src, encoding="utf-8").read()
old_id = os.path.basename(src)[:-len(".json")]
base = dt.datetime.strptime(old_id[:19], "%Y-%m-%d_%H-%M-%S").replace(tzinfo=dt.timezone.utc)
# The creation time as the JSON has it (ISO 8601, any precision/offset): the first timestamp
# with the id's date and time.
iso = re.search(re.escape(base.strftime("%Y-%m-%dT%H:%M:%S")) + r'[0-9.]*(?:Z|[+-]\d\d:\d\d)?', text)
os.makedirs(out, exist_ok=True)
for i in range(count):
    t = base - dt.timedelta(hours=3 * i)
    new_id = t.strftime("%Y-%m-%d_%H-%M-%S")
    body = text.replace(old_id, new_id)
    if iso:
        body = body.replace(iso.group(0), t.strftime("%Y-%m-%dT%H:%M:%S") + "Z" if iso.group(0).endswith("Z") else t.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
    with open(os.path.join(out, new_id + ".json"), "w", encoding="utf-8") as f:
        f.write(body)
print(f"{count} sidecars in {out} (time field {'rewritten' if iso else 'NOT found'})")
