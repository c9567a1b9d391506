// Validates YAML files against a JSON Schema with Ajv (JSON Schema draft-07), an implementation independent of energyreg.
//
//   node validate.mjs SCHEMA.json FILE.yaml...
//
// Prints one JSON object per file on stdout: {"file": "...", "valid": true|false, "errors": [{"path", "keyword", "message"}]}.
// Exit codes: 0 every file valid, 1 some file invalid (or not parseable YAML), 2 usage or an unusable schema.
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import YAML from "yaml";

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
    console.error("usage: node validate.mjs SCHEMA.json FILE.yaml...");
    process.exit(2);
}

let validate;
try {
    // strict: unknown keywords, ignored "default"s and similar schema mistakes are errors, not silently skipped. Not
    // strictRequired: the top-level `if` tests for `steps`/`reader` without defining them there (legal JSON Schema).
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
    validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
} catch (e) {
    console.error(`schema ${schemaPath}: ${e.message}`);
    process.exit(2);
}

let allValid = true;
for (const file of files) {
    let result;
    try {
        const data = YAML.parse(readFileSync(file, "utf8"));
        const valid = validate(data);
        result = {
            file,
            valid,
            errors: valid ? [] : validate.errors.map(e => ({ path: e.instancePath, keyword: e.keyword, message: e.message, params: e.params })),
        };
    } catch (e) {
        result = { file, valid: false, errors: [{ path: "", keyword: "yaml", message: e.message }] };
    }
    allValid &&= result.valid;
    console.log(JSON.stringify(result));
}
process.exit(allValid ? 0 : 1);
