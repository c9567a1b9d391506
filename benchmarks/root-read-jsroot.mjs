#!/usr/bin/env node
// root-read-jsroot.mjs WORKLOADS.tsv [--budget SECONDS]
//
// Times JSROOT (the pinned copy in tests/oracles/jsroot/node_modules) reading the same files and branches as
// `EnergyRegression.Benchmarks root-read`. WORKLOADS.tsv is that command's `--workloads` output: label, file,
// tree, comma-separated branches, entries, payload bytes. For each workload the file and the tree are opened
// once (not timed); one timed run is a treeProcess over all entries with a TSelector holding every branch of
// the workload, whose Process() adds up the numbers it gets (so the values are really produced).
//
// Output, one line per workload on stdout: label, best (minimum) seconds per run by the process's CPU time
// (user + system, process.cpuUsage), best by the wall clock, number of runs, entries seen. The minimum, as in
// root-read: on a shared machine other processes only ever add time.
// A workload JSROOT cannot read prints "label<TAB>NaN<TAB>...<TAB>reason". JSROOT's own console output is dropped.

import { argv, cpuUsage, exit, stderr, stdout } from 'node:process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const jsrootModules = new URL('../tests/oracles/jsroot/node_modules/jsroot/modules/', import.meta.url);
const { openFile } = await import(new URL('io.mjs', jsrootModules));
const { TSelector, treeProcess } = await import(new URL('tree.mjs', jsrootModules));

for (const m of ['log', 'info', 'warn', 'error', 'debug']) console[m] = () => {};

const args = argv.slice(2);
if (args.length < 1) {
    stderr.write('usage: node root-read-jsroot.mjs WORKLOADS.tsv [--budget SECONDS]\n');
    exit(2);
}
const budgetIndex = args.indexOf('--budget');
const budget = budgetIndex >= 0 ? Number(args[budgetIndex + 1]) : 0.5;

const workloads = readFileSync(args[0], 'utf8').split('\n').filter(l => l.trim()).map(l => {
    const [label, file, tree, branches, entries] = l.split('\t');
    return { label, file, tree, branches: branches.split(','), entries: Number(entries) };
});

function add(sum, v) {
    if (typeof v === 'number') return sum + v;
    if (typeof v === 'bigint') return sum + Number(v);
    if (typeof v === 'boolean') return sum + (v ? 1 : 0);
    if (typeof v === 'string') return sum + v.length;
    if (v && typeof v.length === 'number') {
        for (let i = 0; i < v.length; ++i) sum = add(sum, v[i]);
        return sum;
    }
    return sum;
}

/** One full pass over the tree with every branch of the workload; resolves to the number of entries seen. */
function pass(tree, branches, entries) {
    return new Promise((resolve, reject) => {
        const sel = new TSelector();
        for (const b of branches) sel.addBranch(b, b);
        let seen = 0, sum = 0;
        sel.Process = function() {
            for (const b of branches) sum = add(sum, this.tgtobj[b]);
            seen++;
        };
        sel.Terminate = ok => (ok === false ? reject(new Error(`JSROOT stopped after ${seen} entries`)) : resolve(seen + 0 * sum));
        const timer = setTimeout(() => reject(new Error('JSROOT did not finish within 60 s')), 60000);
        treeProcess(tree, sel, { numentries: entries }).then(() => clearTimeout(timer), err => { clearTimeout(timer); reject(err); });
    });
}

const files = new Map();
for (const w of workloads) {
    try {
        if (!files.has(w.file)) files.set(w.file, await openFile(w.file));
        const tree = await files.get(w.file).readObject(w.tree);
        const first = await pass(tree, w.branches, w.entries);
        if (first !== w.entries) throw new Error(`JSROOT delivered ${first} of ${w.entries} entries`);
        const wall = [], cpu = [];
        const start = performance.now();
        while (wall.length < 3 || (performance.now() - start) / 1000 < budget) {
            const c0 = cpuUsage(), t0 = performance.now();
            await pass(tree, w.branches, w.entries);
            wall.push((performance.now() - t0) / 1000);
            const c = cpuUsage(c0);
            cpu.push((c.user + c.system) / 1e6);
        }
        stdout.write(`${w.label}\t${Math.min(...cpu)}\t${Math.min(...wall)}\t${wall.length}\t${first}\n`);
    } catch (err) {
        stdout.write(`${w.label}\tNaN\tNaN\t0\t0\t${String(err?.message ?? err).replace(/\s+/g, ' ')}\n`);
    }
}
