#!/usr/bin/env node
// list.mjs FILE — what JSROOT sees in a ROOT file, as one JSON document on stdout.
//
//   { "file": FILE, "jsroot": VERSION, "patches": [ corrections applied to JSROOT, see common.mjs ],
//     "keys": [ { "path", "name", "cycle", "class", "title",
//                 // TTree / TNtuple:
//                 "entries", "branches": [ { "path", "name", "column", "class", "type", "entries",
//                   "leaves": [ { "name", "class", "type", "len", "count" } ],
//                   "counter", "counter2", "streamerType", "branchType", "id", "className",
//                   "subBranches" } ],
//                 // ROOT::RNTuple:
//                 "entries", "fields": [ { "id", "name", "type", "parent", "columns" } ],
//                 "error" } ] }
//
// Keys are listed depth first through directories. Branches are listed depth first; "column" is the
// name dump.mjs gives the branch (present for branches without sub-branches only). Exit codes: 0 ok,
// 1 the file could not be opened, 2 usage. Problems with a single key are put in its "error".

import { captureConsole, takeConsole, open, walkKeys, isTreeClass, isRNTupleClass, walkBranches,
         defaultColumns, branchType, leafType, numEntries, describeRNTuple, guard, writeOut, writeErr, patches } from './common.mjs';
import { readFileSync } from 'node:fs';

captureConsole();

const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('-')) {
    writeErr('usage: node list.mjs FILE.root');
    process.exit(2);
}
const path = args[0];
const jsrootVersion = JSON.parse(readFileSync(new URL('./node_modules/jsroot/package.json', import.meta.url), 'utf8')).version;

function describeBranch(b, columns, file) {
    const br = b.branch;
    const d = {
        path: b.path,
        name: b.name,
        column: columns.get(b.path) ?? null,
        class: br._typename,
        type: branchType(br, file),
        entries: numEntries(br.fEntries),
        leaves: (br.fLeaves?.arr ?? []).map(l => ({
            name: l.fName,
            class: l._typename,
            type: leafType(l),
            len: l.fLen,
            count: l.fLeafCount?.fName ?? null
        })),
        counter: br.fBranchCount?.fName ?? null,
        counter2: br.fBranchCount2?.fName ?? null,
        subBranches: (br.fBranches?.arr ?? []).length
    };
    if (br._typename === 'TBranchElement') {
        d.className = br.fClassName;
        d.id = br.fID;
        d.branchType = br.fType;
        d.streamerType = br.fStreamerType;
        if (br.fClonesName) d.clonesName = br.fClonesName;
    } else if (br._typename === 'TBranchObject')
        d.className = br.fClassName;
    return d;
}

async function main() {
    let file;
    try {
        file = await guard(() => open(path));
    } catch (err) {
        writeErr(`cannot open ${path}: ${err.message}`);
        for (const m of takeConsole()) writeErr(`jsroot: ${m}`);
        process.exitCode = 1;
        return;
    }
    const keys = await walkKeys(file);
    for (const key of keys) {
        try {
            if (isTreeClass(key.class)) {
                const tree = await guard(() => file.readObject(`${key.path};${key.cycle}`));
                const columns = new Map(defaultColumns(tree).map(c => [c.path, c.column]));
                key.entries = numEntries(tree.fEntries);
                key.branches = walkBranches(tree).map(b => describeBranch(b, columns, file));
            } else if (isRNTupleClass(key.class)) {
                const tuple = await guard(() => file.readObject(`${key.path};${key.cycle}`));
                const { entries, fields } = await describeRNTuple(tuple);
                key.entries = entries;
                key.fields = fields;
            }
        } catch (err) {
            key.error = err.message;
        }
        const msgs = takeConsole();
        if (msgs.length) key.jsrootMessages = msgs;
    }
    await writeOut(JSON.stringify({ file: path, jsroot: jsrootVersion, patches, keys }, null, 2) + '\n');
}

await main();
