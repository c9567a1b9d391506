// Shared helpers of the JSROOT oracle scripts (list.mjs, dump.mjs, survey.mjs).
//
// Everything that reads ROOT data goes through JSROOT's own API: openFile (jsroot/io), treeProcess +
// TSelector (jsroot/tree) and rntupleProcess (jsroot/rntuple). This module only walks the objects
// JSROOT returns, picks names, and turns JSROOT's values into JSON text.
//
// JSROOT reports problems with console.log/warn/error. The scripts' stdout is data, so every console
// method is redirected into a buffer (see captureConsole); the scripts decide what reaches stderr.

import { openFile, TBuffer } from 'jsroot/io';
import { TSelector, treeProcess } from 'jsroot/tree';
import { rntupleProcess, readHeaderFooter } from 'jsroot/rntuple';

// ---------------------------------------------------------------------------------------------------
// the one correction applied to JSROOT 7.11.2
//
// TBuffer.ntoi8 (signed 64-bit integers: Long64_t leaves, members, arrays, vectors) builds negative
// values from ~high and ~low, but ~low is a *signed* 32-bit result, so every negative value whose low
// 32-bit word is below 2^31 comes out 2^32 too large (-2147483649 -> 2147483647, -4294967296 -> 0,
// -2^63 -> -9223372032559808512). The replacement decodes the same 8 big-endian bytes with
// DataView.getBigInt64 and keeps JSROOT's convention: a Number when the value is a safe integer, a
// BigInt otherwise. Set JSROOT_ORACLE_PURE=1 to run JSROOT unpatched. ntou8 (unsigned) is correct
// and untouched.

export const patches = [];
if (process.env.JSROOT_ORACLE_PURE !== '1') {
    TBuffer.prototype.ntoi8 = function() {
        const v = this.arr.getBigInt64(this.o);
        this.o += 8;
        const n = Number(v);
        return Number.isSafeInteger(n) ? n : v;
    };
    patches.push('TBuffer.ntoi8: negative 64-bit integers with low word < 2^31 (JSROOT 7.11.2 bug)');
}

// ---------------------------------------------------------------------------------------------------
// console capture

const captured = [];
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'];

/** Redirects every console method into a buffer; call once, before JSROOT does anything. */
export function captureConsole() {
    for (const m of consoleMethods) {
        console[m] = (...args) => {
            captured.push(args.map(a => (a instanceof Error ? a.message : String(a))).join(' '));
        };
    }
}

/** Returns and clears what JSROOT printed since the last call. */
export function takeConsole() {
    return captured.splice(0, captured.length);
}

// ---------------------------------------------------------------------------------------------------
// failures JSROOT raises outside its promise chain
//
// treeProcess starts its basket loop inside a Promise executor but does not chain the loop's own
// promises to the one it returns: an exception thrown while decoding a basket becomes an *unhandled*
// rejection and the returned promise never settles. Node would then either crash (unhandled
// rejection) or, with nothing left to wait for, exit 0 with half the output. guard() turns both into
// an ordinary rejection of the current operation, with a watchdog for the never-settles case.

let currentFail = null;
process.on('unhandledRejection', err => {
    if (currentFail) currentFail(err instanceof Error ? err : new Error(String(err)));
    else // late failure of a JSROOT pass already given up on: that branch is already reported
        process.stderr.write(`jsroot: late error: ${err?.message ?? err}\n`);
});
process.on('uncaughtException', err => {
    if (currentFail) currentFail(err);
    else {
        process.stderr.write(`jsroot oracle: internal error: ${err?.stack ?? err}\n`);
        process.exit(1);
    }
});

const guardTimeoutMs = Number(process.env.JSROOT_ORACLE_BRANCH_TIMEOUT_MS) || 120000;

/** Runs fn() (which returns a promise) so that stray exceptions and hangs reject it. */
export async function guard(fn) {
    let timer;
    const failure = new Promise((_, reject) => {
        currentFail = reject;
        timer = setTimeout(() => reject(new Error(`JSROOT did not finish within ${guardTimeoutMs} ms`)), guardTimeoutMs);
    });
    try {
        return await Promise.race([Promise.resolve().then(fn), failure]);
    } finally {
        clearTimeout(timer);
        currentFail = null;
    }
}

// ---------------------------------------------------------------------------------------------------
// files, directories, keys

export async function open(path) {
    return openFile(path);
}

const dirClasses = new Set(['TDirectory', 'TDirectoryFile']);
const rntupleClasses = new Set(['ROOT::RNTuple', 'ROOT::Experimental::RNTuple']);

export const isDirectoryClass = cls => dirClasses.has(cls);
export const isTreeClass = cls => cls === 'TTree' || cls === 'TNtuple' || cls === 'TNtupleD';
export const isRNTupleClass = cls => rntupleClasses.has(cls);

/**
 * All keys of the file, depth first, directories before their content: { path, name, cycle, class,
 * title }. path has no cycle; JSROOT reads "a/b/t;2" for a given cycle.
 */
export async function walkKeys(file) {
    const out = [];
    async function walk(keys, prefix) {
        for (const key of keys) {
            const path = prefix ? `${prefix}/${key.fName}` : key.fName;
            out.push({ path, name: key.fName, cycle: key.fCycle, class: key.fClassName, title: key.fTitle });
            if (isDirectoryClass(key.fClassName)) {
                const dir = await file.readObject(`${path};${key.fCycle}`);
                await walk(dir.fKeys ?? [], path);
            }
        }
    }
    await walk(file.fKeys ?? [], '');
    return out;
}

// ---------------------------------------------------------------------------------------------------
// TTree branches

const leafTypes = {
    TLeafF: 'float', TLeafD: 'double', TLeafO: 'bool', TLeafB: 'int8', TLeafS: 'int16', TLeafI: 'int32',
    TLeafL: 'int64', TLeafG: 'long', TLeafC: 'string', TLeafF16: 'Float16_t', TLeafD32: 'Double32_t',
    TLeafElement: 'element', TLeafObject: 'object'
};

/** The leaf's value type as a short name: float, double, int32, uint64, string, ... */
export function leafType(leaf) {
    let t = leafTypes[leaf._typename] ?? leaf._typename;
    if (leaf.fIsUnsigned && /^int|^long/.test(t)) t = 'u' + t;
    return t;
}

/** The streamer element JSROOT would use for a TBranchElement member (same lookup rule as JSROOT). */
function streamerElement(branch, file) {
    if (branch._typename !== 'TBranchElement' || branch.fID < 0) return null;
    const si = file.findStreamerInfo(branch.fClassName, branch.fClassVersion, branch.fCheckSum);
    const elems = si?.fElements?.arr;
    if (!elems) return null;
    let name = branch.fName;
    const bracket = name.indexOf('[');
    if (bracket > 0) name = name.slice(0, bracket);
    const dot = name.lastIndexOf('.');
    if (dot > 0) name = name.slice(dot + 1);
    if (elems[branch.fID]?.fName === name) return elems[branch.fID];
    return elems.find(e => e?.fName === name) ?? null;
}

/** A C++-like type of the branch's value as far as the file's metadata says. */
export function branchType(branch, file) {
    if (branch._typename === 'TBranchElement') {
        if (branch.fID < 0) return branch.fClassName || null;
        const elem = streamerElement(branch, file);
        let t = elem?.fTypeName ?? null;
        if (elem && elem.fArrayLength > 1 && elem.fMaxIndex)
            t += Array.from(elem.fMaxIndex.slice(0, elem.fArrayDim), n => `[${n}]`).join('');
        return t;
    }
    if (branch._typename === 'TBranchObject') return branch.fClassName || null;
    const leaves = branch.fLeaves?.arr ?? [];
    if (leaves.length === 1) {
        const l = leaves[0];
        let t = leafType(l);
        if (l._typename === 'TLeafC') return t; // fLen is the longest string's length
        if (l.fLeafCount) t += `[${l.fLeafCount.fName}]`;
        else if (l.fLen > 1) t += `[${l.fLen}]`;
        return t;
    }
    return `{${leaves.map(l => `${l.fName}:${leafType(l)}${l.fLen > 1 ? `[${l.fLen}]` : ''}`).join(', ')}}`;
}

/** True when the branch's value is a bool or an array/vector of bools (JSROOT gives 0/1 inside arrays). */
export function isBoolBranch(branch, file) {
    const leaves = branch.fLeaves?.arr ?? [];
    if (branch._typename === 'TBranch') return leaves.length === 1 && leaves[0]._typename === 'TLeafO';
    const t = branchType(branch, file) ?? '';
    return /^(bool|Bool_t)(\[|\*|$)/.test(t) || /^(std::)?vector<\s*(bool|Bool_t)\s*>$/.test(t);
}

/**
 * For a signed Char_t[N] branch, N (the innermost dimension), else 0. JSROOT decodes such arrays as
 * NUL-terminated C strings (TBuffer.readFastString), which encode() has to turn back into numbers.
 */
export function charArrayLength(branch, file) {
    const leaves = branch.fLeaves?.arr ?? [];
    if (branch._typename === 'TBranch') {
        const l = leaves.length === 1 ? leaves[0] : null;
        return l && l._typename === 'TLeafB' && !l.fIsUnsigned && !l.fLeafCount && l.fLen > 1 ? l.fLen : 0;
    }
    const elem = streamerElement(branch, file);
    if (elem && elem.fType === 21 /* kOffsetL + kChar */ && elem.fArrayDim >= 1)
        return elem.fArrayDim > 1 ? elem.fMaxIndex[elem.fArrayDim - 1] : elem.fArrayLength;
    return 0;
}

/**
 * Every branch of the tree, depth first: { branch, path, name, depth, parent, isLeaf }. path joins
 * the branch names of the ancestors with '/' (uproot's full_paths keys); isLeaf: no sub-branches.
 */
export function walkBranches(tree) {
    const out = [];
    function walk(list, prefix, depth, parent) {
        for (const br of list?.arr ?? []) {
            const path = prefix ? `${prefix}/${br.fName}` : br.fName;
            const subs = br.fBranches?.arr ?? [];
            out.push({ branch: br, path, name: br.fName, depth, parent, isLeaf: subs.length === 0 });
            walk(br.fBranches, path, depth + 1, br.fName);
        }
    }
    walk(tree.fBranches, '', 0, null);
    return out;
}

/**
 * The branches dump.mjs reads by default and the names it gives them: every branch without
 * sub-branches, named by its own ROOT name as uproot's tree.arrays() keys do; when two such branches
 * share a name, all of them get their full '/'-joined path instead.
 */
export function defaultColumns(tree) {
    const leaves = walkBranches(tree).filter(b => b.isLeaf);
    const counts = new Map();
    for (const b of leaves) counts.set(b.name, (counts.get(b.name) ?? 0) + 1);
    return leaves.map(b => ({ ...b, column: counts.get(b.name) > 1 ? b.path : b.name }));
}

/** Finds a branch by full path, then by own name (sub-branches without children first). */
export function resolveBranch(tree, name) {
    const all = walkBranches(tree);
    return all.find(b => b.path === name)
        ?? all.find(b => b.isLeaf && b.name === name)
        ?? all.find(b => b.name === name)
        ?? null;
}

export function numEntries(x) {
    return typeof x === 'bigint' ? Number(x) : Number(x ?? 0);
}

/**
 * Reads one branch for entries [start, stop) with a TSelector and returns the per-entry values, already
 * encoded as JSON text. Throws with JSROOT's reason when it cannot read the branch.
 */
export async function readBranch(tree, branch, start, stop, encodeOpts) {
    const values = [];
    let expected = start, terminated = null;
    const sel = new TSelector();
    sel.addBranch(branch, 'v');
    sel.Process = function(entry) {
        if (entry !== expected)
            throw new Error(`JSROOT delivered entry ${entry} where ${expected} was expected`);
        values.push(encode(this.tgtobj.v, encodeOpts));
        expected++;
    };
    sel.Terminate = function(ok) { terminated = ok; };
    await guard(() => treeProcess(tree, sel, { firstentry: start, numentries: stop - start }));
    if (terminated === false)
        throw new Error(`JSROOT stopped reading after ${values.length} of ${stop - start} entries`);
    if (values.length !== stop - start)
        throw new Error(`JSROOT delivered ${values.length} of ${stop - start} entries`);
    return values;
}

/**
 * Reads several branches for entries [start, stop) in one JSROOT pass (much faster than one pass per branch
 * on trees with thousands of branches). Returns one array of encoded values per branch; throws when JSROOT
 * fails on any of them (dump.mjs then falls back to one pass per branch, to name the failing one).
 */
export async function readBranches(tree, branches, start, stop, encodeOpts) {
    const values = branches.map(() => []);
    let expected = start, terminated = null;
    const sel = new TSelector();
    branches.forEach((b, i) => sel.addBranch(b, `v${i}`));
    sel.Process = function(entry) {
        if (entry !== expected)
            throw new Error(`JSROOT delivered entry ${entry} where ${expected} was expected`);
        for (let i = 0; i < branches.length; ++i)
            values[i].push(encode(this.tgtobj[`v${i}`], encodeOpts[i]));
        expected++;
    };
    sel.Terminate = function(ok) { terminated = ok; };
    await guard(() => treeProcess(tree, sel, { firstentry: start, numentries: stop - start }));
    if (terminated === false || expected !== stop)
        throw new Error(`JSROOT delivered ${expected - start} of ${stop - start} entries`);
    return values;
}

// ---------------------------------------------------------------------------------------------------
// RNTuple

/** Header/footer of an RNTuple read by JSROOT: fields (top-level and nested) and number of entries. */
export async function describeRNTuple(tuple) {
    const builder = await guard(() => readHeaderFooter(tuple));
    if (!builder) throw new Error('JSROOT could not read the RNTuple header/footer');
    let entries = 0;
    for (const s of builder.clusterSummaries ?? []) entries += Number(s.numEntries);
    const fields = builder.fieldDescriptors.map((f, i) => ({
        id: i,
        name: f.fieldName,
        type: f.typeName,
        parent: f.parentFieldId === i ? null : f.parentFieldId,
        columns: builder.findColumns(f).map(c => c.coltype)
    }));
    return { entries, fields, builder };
}

export async function readField(tuple, fieldName, start, stop) {
    const values = [];
    let expected = start;
    const sel = new TSelector();
    sel.addBranch(fieldName, 'v');
    sel.Process = function(entry) {
        if (entry !== expected)
            throw new Error(`JSROOT delivered entry ${entry} where ${expected} was expected`);
        values.push(encode(this.tgtobj.v, {}));
        expected++;
    };
    await guard(() => rntupleProcess(tuple, sel, { firstentry: start, numentries: stop - start }));
    if (values.length !== stop - start)
        throw new Error(`JSROOT delivered ${values.length} of ${stop - start} entries`);
    return values;
}

// ---------------------------------------------------------------------------------------------------
// JSON encoding of JSROOT values

/**
 * JSON text of a value JSROOT produced.
 *  - number: JavaScript's shortest round-trip form (String(x)); -0 as "-0"; NaN/±Infinity as the
 *    strings "NaN", "Infinity", "-Infinity". Float32 data arrive as the double value of the float.
 *  - bigint (JSROOT's 64-bit integers with |x| >= 2^53): exact decimal number token.
 *  - typed arrays and arrays: JSON arrays; booleans: true/false.
 *  - strings: JSON strings, the bytes JSROOT read decoded as UTF-8 when valid (see utf8()).
 *  - objects: JSON objects of their own enumerable members, leaving out JSROOT's bookkeeping
 *    ('_typename' and members starting with '$').
 *  opts.bool: numbers are 0/1 flags of a bool branch and become false/true.
 *  opts.charLen: strings are signed Char_t[charLen] arrays JSROOT decoded as C strings; they become
 *    arrays of numbers, and a string cut short by a 0 byte throws (the value is not recoverable).
 */
export function encode(v, opts = {}) {
    switch (typeof v) {
        case 'undefined': return 'null';
        case 'boolean': return v ? 'true' : 'false';
        case 'bigint': return v.toString();
        case 'string':
            if (opts.charLen) return charArray(v, opts.charLen);
            return JSON.stringify(utf8(v));
        case 'number':
            if (opts.bool && (v === 0 || v === 1)) return v ? 'true' : 'false';
            if (Number.isNaN(v)) return '"NaN"';
            if (v === Infinity) return '"Infinity"';
            if (v === -Infinity) return '"-Infinity"';
            if (Object.is(v, -0)) return '-0';
            return String(v);
        case 'object': {
            if (v === null) return 'null';
            if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView))) {
                const parts = new Array(v.length);
                for (let i = 0; i < v.length; ++i) parts[i] = encode(v[i], opts);
                return `[${parts.join(',')}]`;
            }
            const parts = [];
            for (const [k, x] of Object.entries(v)) {
                if (k === '_typename' || k.startsWith('$') || typeof x === 'function') continue;
                parts.push(`${JSON.stringify(k)}:${encode(x, opts)}`);
            }
            return `{${parts.join(',')}}`;
        }
        default: return 'null';
    }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * JSROOT turns every byte of a TString/std::string/char* into one UTF-16 code unit (Latin-1). ROOT
 * strings are bytes, UTF-8 in practice: decode them as UTF-8 when they are valid UTF-8, otherwise keep
 * JSROOT's one-char-per-byte string.
 */
function utf8(s) {
    if (!/[\u0080-\u00ff]/.test(s) || /[^\u0000-\u00ff]/.test(s)) return s;
    try {
        return utf8Decoder.decode(Buffer.from(s, 'latin1'));
    } catch {
        return s;
    }
}

/** A Char_t[n] value JSROOT returned as a C string, back to its n signed bytes (exact only without NUL). */
function charArray(s, n) {
    if (s.length !== n)
        throw new Error(`JSROOT reads Char_t[${n}] as a NUL-terminated C string; the bytes from the first 0 on are lost`);
    const out = new Array(n);
    for (let i = 0; i < n; ++i) {
        const c = s.charCodeAt(i);
        out[i] = c > 127 ? c - 256 : c;
    }
    return `[${out.join(',')}]`;
}

/** Writes text to stdout, waiting when the pipe is full. */
export function writeOut(text) {
    return new Promise(resolve => {
        if (process.stdout.write(text)) resolve();
        else process.stdout.once('drain', resolve);
    });
}

export function writeErr(text) {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
