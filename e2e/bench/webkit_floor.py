"""The memory floor of any WebKitGTK app on this machine: Debian's own MiniBrowser (the same
WebKitGTK as Till) showing a tiny page, its processes' PSS after 8 s. Run under Xvfb:

    NO_AT_BRIDGE=1 dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \\
        python3 e2e/bench/webkit_floor.py file:///path/to/tiny.html
"""
import os, subprocess, time, sys, re
def procs():
    out = {}
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try:
            st = open(f'/proc/{p}/stat').read()
            comm = st[st.index('(')+1:st.rindex(')')]
            ppid = int(st[st.rindex(')')+2:].split()[1])
            out[int(p)] = (comm, ppid)
        except Exception: pass
    return out
child = subprocess.Popen(['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', sys.argv[1]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(8)
ps = procs(); tree = {child.pid}
grew = True
while grew:
    grew = False
    for p,(c,pp) in ps.items():
        if pp in tree and p not in tree: tree.add(p); grew = True
tot = 0
for p in sorted(tree):
    try:
        roll = open(f'/proc/{p}/smaps_rollup').read()
        pss = int(re.search(r'^Pss:\s+(\d+)', roll, re.M).group(1))
        anon = int(re.search(r'^Anonymous:\s+(\d+)', roll, re.M).group(1))
        tot += pss
        print(ps[p][0], pss//1024, 'MB PSS', anon//1024, 'MB anon')
    except Exception as e: pass
print('total', tot//1024, 'MB PSS')
child.kill()
