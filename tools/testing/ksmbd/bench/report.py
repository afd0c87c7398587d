# SPDX-License-Identifier: GPL-2.0
"""Turn the guest's raw results into the benchmark's table, CSV and chart.

    report.py [--csv OUT.csv] [--png OUT.png] [--rst-table OUT.rst]
              [--title T] [--command C] results.csv
    report.py --update-rst benchmark.rst table.rst

The first form prints the table (medians over the runs, ratios ours /
upstream and ours / local) and writes the requested files; the chart is
drawn by gnuplot. The second form replaces the part of benchmark.rst
between the "benchmark-table" markers with table.rst.
"""

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile

WORKLOADS = [
    # key, label, unit, short label for the chart
    ('seqwrite', 'sequential write, 1 MiB', 'MB/s', 'seq write'),
    ('seqread', 'sequential read, 1 MiB', 'MB/s', 'seq read'),
    ('randread', 'random read, 4 KiB, QD16', 'IOPS', 'rand read 4K'),
    ('randwrite', 'random write, 4 KiB, QD16', 'IOPS', 'rand write 4K'),
    ('create', 'create files', 'files/s', 'create'),
    ('list', 'list directory (readdir + stat)', 'entries/s', 'list dir'),
    ('stat', 'stat files', 'files/s', 'stat'),
    ('unlink', 'unlink files', 'files/s', 'unlink'),
    ('smallcopy', 'copy 16 KiB files, 8 threads', 'files/s', 'small copy'),
]
TARGETS = ['local', 'upstream', 'ours', 'upstream-seal', 'ours-seal']
MEM_FIGURES = [('kernel', 'kernel memory'), ('slab', 'of it slab'),
               ('kstack', 'of it kernel stacks'),
               ('other', 'of it other pages')]
BEGIN = '.. benchmark-table-begin'
END = '.. benchmark-table-end'


def load(path):
    """{(target, workload): [values]} and {(target, workload): note}."""
    values, notes = {}, {}
    with open(path) as f:
        for row in csv.reader(f):
            if len(row) != 4:
                continue
            target, work, _run, value = row
            try:
                values.setdefault((target, work), []).append(float(value))
            except ValueError:
                notes[(target, work)] = value
    return values, notes


def median(values, key):
    v = values.get(key)
    return statistics.median(v) if v else None


def na_text(target, notes, work):
    note = notes.get((target, work))
    if note == 'n/a' and target == 'ours-seal':
        return 'n/a (not implemented)'
    if note == 'n/a':
        return 'n/a'
    if note == 'fail':
        return 'failed'
    return '-'


def fmt(v):
    if v is None:
        return None
    if v >= 100:
        return '%.0f' % v
    if v >= 10:
        return '%.1f' % v
    return '%.2f' % v


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def build_rows(values, notes):
    rows = []
    for key, label, unit, short in WORKLOADS:
        med = {t: median(values, (t, key)) for t in TARGETS}
        shown = {t: fmt(med[t]) or na_text(t, notes, key) for t in TARGETS}
        r_up = ratio(med['ours'], med['upstream'])
        r_loc = ratio(med['ours'], med['local'])
        r_seal = ratio(med['ours-seal'], med['upstream-seal'])
        rows.append({
            'key': key, 'label': label, 'unit': unit, 'med': med,
            'short': short,
            'shown': shown, 'r_up': r_up, 'r_loc': r_loc, 'r_seal': r_seal,
        })
    return rows


def mem_rows(values):
    """KiB per idle connection, the TCP baseline taken off."""
    out = []
    base = {k: median(values, ('mem-tcp', k)) or 0.0
            for k, _ in MEM_FIGURES}
    for key, label in MEM_FIGURES:
        up = median(values, ('mem-upstream', key))
        ours = median(values, ('mem-ours', key))
        up = None if up is None else up - base[key]
        ours = None if ours is None else ours - base[key]
        out.append({'key': key, 'label': label, 'up': up, 'ours': ours,
                    'base': base[key], 'r_up': ratio(ours, up)})
    return out


def top_slabs(values, who):
    found = [(median(values, k), k[1][5:]) for k in values
             if k[0] == 'mem-' + who and k[1].startswith('slab:')]
    return sorted(found, reverse=True)[:5]


def rst_table(header, body):
    """A simple reST grid table from lists of strings."""
    cols = list(zip(header, *body))
    widths = [max(len(c) for c in col) for col in cols]
    sep = '+' + '+'.join('-' * (w + 2) for w in widths) + '+'
    head = '+' + '+'.join('=' * (w + 2) for w in widths) + '+'

    def line(cells):
        return '| ' + ' | '.join(c.ljust(w) for c, w in
                                 zip(cells, widths)) + ' |'
    out = [sep, line(header), head]
    for r in body:
        out += [line(r), sep]
    return '\n'.join(out)


def rfmt(r):
    return '-' if r is None else '%.2f' % r


def make_tables(rows, mems, values):
    header = ['workload', 'unit', 'local', 'upstream', 'ours',
              'ours/upstream', 'ours/local', 'upstream seal', 'ours seal',
              'ours/upstream (seal)']
    body = []
    for r in rows:
        s = r['shown']
        body.append([r['label'], r['unit'], s['local'], s['upstream'],
                     s['ours'], rfmt(r['r_up']), rfmt(r['r_loc']),
                     s['upstream-seal'], s['ours-seal'], rfmt(r['r_seal'])])
    main = rst_table(header, body)
    mh = ['per idle connection (64 open)', 'unit', 'upstream', 'ours',
          'ours/upstream']
    mb = []
    for m in mems:
        mb.append([m['label'], 'KiB', fmt(m['up']) if m['up'] is not None
                   else 'n/a', fmt(m['ours']) if m['ours'] is not None
                   else 'n/a', rfmt(m['r_up'])])
    mem = rst_table(mh, mb)
    return main, mem


def gnuplot_chart(rows, mems, png, title):
    tmp = tempfile.mkdtemp(prefix='bench-plot.')
    pct = os.path.join(tmp, 'pct.dat')
    rat = os.path.join(tmp, 'ratio.dat')
    mem = os.path.join(tmp, 'mem.dat')

    def pc(v, local):
        if v is None or not local:
            return 'NaN'
        return '%.2f' % (100.0 * v / local)

    with open(pct, 'w') as f:
        for r in rows:
            m = r['med']
            f.write('"%s\\n(%s)" %s %s %s %s\n' % (
                r['short'], r['unit'],
                pc(m['upstream'], m['local']), pc(m['ours'], m['local']),
                pc(m['upstream-seal'], m['local']),
                pc(m['ours-seal'], m['local'])))
    with open(rat, 'w') as f:
        for r in rows:
            f.write('"%s" %s %s\n' % (
                r['short'],
                'NaN' if r['r_up'] is None else '%.3f' % r['r_up'],
                'NaN' if r['r_seal'] is None else '%.3f' % r['r_seal']))
    with open(mem, 'w') as f:
        for m in mems:
            f.write('"%s" %s %s\n' % (
                m['key'],
                'NaN' if m['up'] is None else '%.1f' % m['up'],
                'NaN' if m['ours'] is None else '%.1f' % m['ours']))
    missing = [name for t, name in (('upstream', 'upstream'),
                                    ('ours', 'ours'),
                                    ('upstream-seal', 'upstream, seal'),
                                    ('ours-seal', 'ours, seal'))
               if all(r['med'][t] is None for r in rows)]
    note = ''
    if missing:
        note = ('set label 1 "not measured: %s" at graph 0.01, graph 0.97 '
                'font ",10"' % '; '.join(
                    n + (' (not implemented)' if n == 'ours, seal' else '')
                    for n in missing))
    # Fixed ranges where a panel has no data (a run without a server), so
    # that gnuplot still draws the rest.
    has_ratio = any(r['r_up'] is not None or r['r_seal'] is not None
                    for r in rows)
    has_mem = any(m['up'] is not None or m['ours'] is not None for m in mems)
    ratio_y = 'set yrange [0.125:*]' if has_ratio else 'set yrange [0.125:32]'
    mem_y = 'set yrange [0:*]' if has_mem else 'set yrange [0:100]'
    xr = 'set xrange [-0.5:%d.5]' % (len(rows) - 1)
    script = '''
set terminal pngcairo size 1500,1100 font "DejaVu Sans,11"
set output '%(png)s'
set datafile missing "NaN"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key top right
set multiplot
set origin 0,0.45
set size 1,0.55
set bmargin 4
set title "%(title)s\\nthroughput as %% of the local ext4 disk (higher is better)"
set ylabel "%% of local disk"
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set xtics font ",10"
%(note)s
plot '%(pct)s' using 2:xtic(1) title 'upstream ksmbd' lc rgb '#4477aa', \\
     '' using 3 title 'ours' lc rgb '#ee6677', \\
     '' using 4 title 'upstream, seal' lc rgb '#88ccee', \\
     '' using 5 title 'ours, seal' lc rgb '#ffaabb', \\
     '' using ($0-0.3):2:(sprintf("%%.0f",$2)) with labels offset 0,0.6 font ",8" notitle, \\
     '' using ($0-0.1):3:(sprintf("%%.0f",$3)) with labels offset 0,0.6 font ",8" notitle, \\
     '' using ($0+0.1):4:(sprintf("%%.0f",$4)) with labels offset 0,0.6 font ",8" notitle, \\
     '' using ($0+0.3):5:(sprintf("%%.0f",$5)) with labels offset 0,0.6 font ",8" notitle
unset label 1
set origin 0,0
set size 0.62,0.43
set title "ours / upstream (1 = same speed; higher is better; log scale)"
set ylabel "ratio"
set logscale y 2
%(ratio_y)s
%(xr)s
set offsets 0, 0, 0, 0
set xtics rotate by -30 font ",10"
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb '#333333' dt 2
plot '%(rat)s' using 2:xtic(1) title 'plain' lc rgb '#ee6677', \\
     '' using 3 title 'seal' lc rgb '#ffaabb', \\
     '' using ($0-0.15):2:(sprintf("%%.2f",$2)) with labels offset 0,0.6 font ",8" notitle
unset arrow 1
unset logscale y
%(mem_y)s
set autoscale x
set offsets 0, 0, graph 0.08, 0
set origin 0.62,0
set size 0.38,0.43
set title "kernel memory per idle connection, KiB\\n(64 connections; TCP sockets' own cost taken off)"
set ylabel "KiB"
set xtics norotate font ",10"
plot '%(mem)s' using 2:xtic(1) title 'upstream' lc rgb '#4477aa', \\
     '' using 3 title 'ours' lc rgb '#ee6677', \\
     '' using ($0-0.15):2:(sprintf("%%.0f",$2)) with labels offset 0,0.6 font ",8" notitle, \\
     '' using ($0+0.15):3:(sprintf("%%.0f",$3)) with labels offset 0,0.6 font ",8" notitle
unset multiplot
''' % {'png': png, 'title': title, 'pct': pct, 'rat': rat, 'mem': mem,
       'note': note, 'ratio_y': ratio_y, 'mem_y': mem_y, 'xr': xr}
    sp = os.path.join(tmp, 'plot.gp')
    with open(sp, 'w') as f:
        f.write(script)
    subprocess.run(['gnuplot', sp], check=True)
    for p in (pct, rat, mem, sp):
        os.unlink(p)
    os.rmdir(tmp)


def write_csv(rows, mems, path):
    with open(path, 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['workload', 'unit'] + TARGETS +
                   ['ours/upstream', 'ours/local', 'ours/upstream (seal)'])

        def cell(r, t):
            v = r['med'][t]
            return '%.2f' % v if v is not None else r['shown'][t]
        for r in rows:
            w.writerow([r['key'], r['unit']] + [cell(r, t) for t in TARGETS] +
                       [rfmt(r['r_up']), rfmt(r['r_loc']), rfmt(r['r_seal'])])
        for m in mems:
            w.writerow(['mem-' + m['key'], 'KiB/conn', '',
                        '' if m['up'] is None else '%.1f' % m['up'],
                        '' if m['ours'] is None else '%.1f' % m['ours'],
                        '', '', rfmt(m['r_up']), '', ''])


def update_rst(rst, table):
    with open(rst) as f:
        text = f.read()
    with open(table) as f:
        new = f.read().rstrip('\n')
    a, b = text.find(BEGIN), text.find(END)
    if a < 0 or b < a:
        sys.exit('%s: no %s ... %s markers' % (rst, BEGIN, END))
    text = text[:a] + BEGIN + '\n\n' + new + '\n\n' + text[b:]
    with open(rst, 'w') as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--csv')
    ap.add_argument('--png')
    ap.add_argument('--rst-table')
    ap.add_argument('--title', default='')
    ap.add_argument('--command', default='scripts/benchmark')
    ap.add_argument('--update-rst', metavar='RST')
    ap.add_argument('input')
    a = ap.parse_args()
    if a.update_rst:
        update_rst(a.update_rst, a.input)
        return
    values, notes = load(a.input)
    rows = build_rows(values, notes)
    mems = mem_rows(values)
    main_t, mem_t = make_tables(rows, mems, values)
    print(main_t)
    print()
    print(mem_t)
    for who in ('upstream', 'ours'):
        s = ', '.join('%s %.1f' % (k, v) for v, k in top_slabs(values, who))
        if s:
            print('slab caches grown per connection, %s: %s' % (who, s))
    if a.csv:
        write_csv(rows, mems, a.csv)
    if a.png:
        if any(r['med'][t] is not None and r['med']['local']
               for r in rows for t in TARGETS[1:]):
            gnuplot_chart(rows, mems, a.png, a.title)
        else:
            print('no server was measured: no chart drawn', file=sys.stderr)
    if a.rst_table:
        with open(a.rst_table, 'w') as f:
            f.write('Measured with ``%s`` (%s).\n\n' % (a.command, a.title))
            f.write(main_t + '\n\n' + mem_t + '\n')


if __name__ == '__main__':
    main()
