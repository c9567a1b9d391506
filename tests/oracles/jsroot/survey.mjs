#!/usr/bin/env node
// survey.mjs [DIR] — runs list.mjs and dump.mjs (as a test would: separate processes) over every
// .root file in DIR (default /work/shared/testdata/root, or $ENERGYREG_ROOT_TESTDATA) and prints the
// README's Markdown table plus the spot checks. Exit code 1 when a script crashes or a spot check
// fails.

import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dir = process.argv[2] ?? process.env.ENERGYREG_ROOT_TESTDATA ?? '/work/shared/testdata/root';
let failed = false;

function run(script, args) {
    try {
        const stdout = execFileSync(process.execPath, [join(here, script), ...args],
            { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
        return { code: 0, stdout, stderr: '' };
    } catch (err) {
        return { code: err.status ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(err) };
    }
}

// execFileSync only returns stderr on failure; dump.mjs writes "unreadable:" lines with exit code 0,
// so dump runs go through spawnSync, which keeps both streams.
function dump(file, tree, extra = []) {
    const r = spawnSync(process.execPath, [join(here, 'dump.mjs'), file, '--tree', tree, ...extra],
        { encoding: 'utf8', maxBuffer: 1 << 30 });
    return { code: r.status, rows: r.stdout.split('\n').filter(l => l).map(l => JSON.parse(l)), stderr: r.stderr };
}

const files = readdirSync(dir).filter(f => f.endsWith('.root')).sort();
const lines = ['| file | tree | entries | columns JSROOT reads | fails on (reason) |', '|---|---|---|---|---|'];
for (const f of files) {
    const path = join(dir, f);
    const l = run('list.mjs', [path]);
    if (l.code !== 0) {
        lines.push(`| ${f} | — | — | — | list.mjs failed: ${l.stderr.trim().split('\n')[0]} |`);
        failed = true;
        continue;
    }
    const listing = JSON.parse(l.stdout);
    const trees = listing.keys.filter(k => k.branches || k.fields);
    for (const k of trees) {
        const d = dump(path, k.path);
        if (d.code !== 0) {
            lines.push(`| ${f} | ${k.path} | ${k.entries} | — | dump.mjs exit ${d.code}: ${d.stderr.trim().split('\n')[0]} |`);
            failed = true;
            continue;
        }
        const unreadable = d.stderr.split('\n').filter(s => s.startsWith('unreadable: ')).map(s => s.slice(12));
        const ncols = k.branches ? k.branches.filter(b => b.column !== null).length : k.fields.filter(x => x.parent === null).length;
        const kind = k.branches ? 'branches' : 'fields';
        const read = ncols - unreadable.length;
        const rowsOk = d.rows.length === k.entries;
        const fails = unreadable.length ? unreadable.map(u => u.replace(/\|/g, '\\|')).join('<br>') : '—';
        lines.push(`| ${f} | ${k.path}${k.branches ? '' : ' (RNTuple)'} | ${k.entries}${rowsOk ? '' : ` (dumped ${d.rows.length})`} | ${read} of ${ncols} ${kind} | ${fails} |`);
        if (!rowsOk) failed = true;
    }
}
console.log(lines.join('\n'));

// ---- spot checks (values given by the brief; floats compared exactly, float32 after Math.fround)
const checks = [];
function check(name, ok, got) {
    checks.push(`- ${ok ? 'OK  ' : 'FAIL'} ${name}${ok ? '' : `: got ${JSON.stringify(got)}`}`);
    if (!ok) failed = true;
}
{
    const z = dump(join(dir, 'uproot-Zmumu.root'), 'events', ['--branches', 'px1']);
    const want = [-41.1952876442, 35.1180497674, 35.1180497674, 34.1444372454, 22.7835819537];
    check('uproot-Zmumu.root events: 2304 entries', z.rows.length === 2304, z.rows.length);
    const px = z.rows.slice(0, 5).map(r => r.px1);
    check('uproot-Zmumu.root events px1[0..4]', px.every((v, i) => v === want[i]), px);
}
{
    const n = dump(join(dir, 'nanoAOD_2015_CMS_Open_Data_ttbar.root'), 'Events',
        ['--branches', 'MET_pt,Electron_pt,Jet_pt', '--entries', '0:1']);
    const r = n.rows[0] ?? {};
    check('nanoAOD Events[0] MET_pt = 33.261875 (float32)', r.MET_pt === Math.fround(33.261875), r.MET_pt);
    check('nanoAOD Events[0] Electron_pt = []', Array.isArray(r.Electron_pt) && r.Electron_pt.length === 0, r.Electron_pt);
    check('nanoAOD Events[0] Jet_pt = [17.921875, 15.734375]',
        JSON.stringify(r.Jet_pt) === JSON.stringify([17.921875, 15.734375]), r.Jet_pt);
}
{
    const v = dump(join(dir, 'uproot-vectorVectorDouble.root'), 't', ['--branches', 'x']);
    const want = [[], [[], []], [[10], [], [10, 20]], [[20, -21, -22]], [[200], [-201], [202]]];
    const got = v.rows.map(r => r.x);
    check('uproot-vectorVectorDouble.root t/x', JSON.stringify(got) === JSON.stringify(want), got);
}
console.log('\nSpot checks:\n' + checks.join('\n'));
process.exitCode = failed ? 1 : 0;
