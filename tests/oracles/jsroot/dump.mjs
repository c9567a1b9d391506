#!/usr/bin/env node
// dump.mjs FILE --tree PATH [--branches a,b,...] [--entries START:STOP]
//
// One JSON object per entry on stdout (JSON Lines): {"branch": value, ...}, branches in the order
// requested. This is the output contract of `energyreg dump`; see README.md for the value rules.
//
//   --tree PATH        TTree (or ROOT::RNTuple) inside the file, directories joined with '/', optional
//                      ';CYCLE'
//   --branches LIST    comma-separated names: a full path ("evt/I16"), or a branch's own name. Default:
//                      every branch without sub-branches, by its own name (uproot's tree.arrays()
//                      names); RNTuple: every top-level field
//   --entries A:B      entries A <= i < B (either side may be left out; clamped to the tree)
//
// A branch JSROOT cannot read is reported on stderr as "unreadable: BRANCH: reason" and left out of
// every row; the rest is still dumped. Exit codes: 0 done (possibly with unreadable branches),
// 1 file/tree could not be read, 2 usage (bad option, unknown branch, bad range).

import { captureConsole, takeConsole, open, isTreeClass, isRNTupleClass, defaultColumns, resolveBranch,
         isBoolBranch, charArrayLength, numEntries, readBranch, readBranches, describeRNTuple, readField, guard, writeOut, writeErr } from './common.mjs';

captureConsole();

const usage = 'usage: node dump.mjs FILE --tree PATH [--branches a,b,...] [--entries START:STOP]';

function fail(code, msg) {
    writeErr(msg);
    process.exit(code);
}

function parseArgs(argv) {
    const o = { file: null, tree: null, branches: null, entries: null };
    for (let i = 0; i < argv.length; ++i) {
        const a = argv[i];
        const value = () => {
            if (i + 1 >= argv.length) fail(2, `${a} needs a value\n${usage}`);
            return argv[++i];
        };
        if (a === '--tree') o.tree = value();
        else if (a === '--branches') o.branches = value().split(',').map(s => s.trim()).filter(s => s.length);
        else if (a === '--entries') o.entries = value();
        else if (a === '-h' || a === '--help') { writeErr(usage); process.exit(0); }
        else if (a.startsWith('-')) fail(2, `unknown option ${a}\n${usage}`);
        else if (o.file === null) o.file = a;
        else fail(2, `unexpected argument ${a}\n${usage}`);
    }
    if (!o.file || !o.tree) fail(2, usage);
    return o;
}

/** "A:B", "A:", ":B" -> [start, stop) clamped to [0, total]. */
function parseRange(text, total) {
    if (text === null) return [0, total];
    const m = /^\s*(\d*)\s*:\s*(\d*)\s*$/.exec(text);
    if (!m) fail(2, `--entries must be START:STOP with non-negative integers, got "${text}"`);
    const start = Math.min(m[1] === '' ? 0 : Number(m[1]), total);
    const stop = Math.min(m[2] === '' ? total : Number(m[2]), total);
    return [start, Math.max(start, stop)];
}

function reportJsroot() {
    for (const m of takeConsole()) writeErr(`jsroot: ${m}`);
}

function reason(err) {
    const msgs = takeConsole();
    return [err?.message ?? String(err), ...msgs].join(' | ').replace(/\s+/g, ' ');
}

async function main() {
    const o = parseArgs(process.argv.slice(2));

    let file, obj, key;
    try {
        file = await guard(() => open(o.file));
        const cyc = o.tree.lastIndexOf(';');
        key = await file.getKey(cyc >= 0 ? o.tree.slice(0, cyc) : o.tree, cyc >= 0 ? Number(o.tree.slice(cyc + 1)) : undefined);
        obj = await guard(() => file.readObject(o.tree));
    } catch (err) {
        fail(1, `cannot read ${o.tree} in ${o.file}: ${reason(err)}`);
    }

    // columns: [{ column, read(start, stop) }]
    let columns, total;
    if (isTreeClass(key.fClassName) || obj?._typename === 'TTree' || obj?._typename === 'TNtuple') {
        total = numEntries(obj.fEntries);
        const chosen = o.branches
            ? o.branches.map(n => {
                const b = resolveBranch(obj, n);
                if (!b) fail(2, `no branch "${n}" in ${o.tree}`);
                return { ...b, column: n };
            })
            : defaultColumns(obj);
        columns = chosen.map(b => ({
            column: b.column,
            branch: b.branch,
            opts: { bool: isBoolBranch(b.branch, file), charLen: charArrayLength(b.branch, file) },
            read: (s, e) => readBranch(obj, b.branch, s, e, { bool: isBoolBranch(b.branch, file), charLen: charArrayLength(b.branch, file) })
        }));
    } else if (isRNTupleClass(key.fClassName)) {
        let desc;
        try {
            desc = await describeRNTuple(obj);
        } catch (err) {
            fail(1, `cannot read ${o.tree} in ${o.file}: ${reason(err)}`);
        }
        total = desc.entries;
        const top = desc.fields.filter(f => f.parent === null).map(f => f.name);
        const names = o.branches ?? top;
        for (const n of names)
            if (!desc.fields.some(f => f.name === n)) fail(2, `no field "${n}" in ${o.tree}`);
        columns = names.map(n => ({ column: n, read: (s, e) => readField(obj, n, s, e) }));
    } else
        fail(1, `${o.tree} in ${o.file} is a ${key.fClassName}, not a TTree or RNTuple`);

    const [start, stop] = parseRange(o.entries, total);
    reportJsroot();

    // All branches in one JSROOT pass when that works (JSROOT_ORACLE_PER_BRANCH=1 skips it); otherwise one pass
    // per branch, so that a branch JSROOT fails on costs only that branch.
    const good = [];
    if (stop > start && columns.length > 1 && columns[0].branch && process.env.JSROOT_ORACLE_PER_BRANCH !== '1') {
        try {
            const all = await readBranches(obj, columns.map(c => c.branch), start, stop, columns.map(c => c.opts));
            columns.forEach((c, i) => good.push({ column: c.column, values: all[i] }));
            takeConsole();
            columns = [];
        } catch {
            takeConsole();
            good.length = 0;
        }
    }
    for (const c of columns) {
        if (stop <= start) { good.push({ column: c.column, values: [] }); continue; }
        try {
            const values = await c.read(start, stop);
            good.push({ column: c.column, values });
            reportJsroot();
        } catch (err) {
            writeErr(`unreadable: ${c.column}: ${reason(err)}`);
        }
    }

    const keys = good.map(g => JSON.stringify(g.column) + ':');
    let chunk = '';
    for (let i = 0; i < stop - start; ++i) {
        let line = '{';
        for (let k = 0; k < good.length; ++k)
            line += (k ? ',' : '') + keys[k] + good[k].values[i];
        chunk += line + '}\n';
        if (chunk.length > 1 << 16) {
            await writeOut(chunk);
            chunk = '';
        }
    }
    if (chunk) await writeOut(chunk);
}

await main();
