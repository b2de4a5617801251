'use strict';
// Every type of src/wire.ts against the server's own description of its bodies: the OpenAPI document of the real
// binary. Field names, JSON types (string, number, boolean, null, array, object; string literals against enums) and
// which fields every body has (required, not `?`) must agree, so a change on either side that the other does not
// follow fails here. The ready line is not an HTTP body: it is checked against the line the binary prints.
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const { mkdtemp, readFile, rm } = require('node:fs/promises');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { createInterface } = require('node:readline');
const { before, after, test } = require('node:test');
const ts = require('typescript');
const { hearsayBinary, startTestHearsay } = require('./support/hearsay');

const timeout = 60_000;
const wireFile = path.join(__dirname, '..', 'src', 'wire.ts');

let started;
let document;
let wire;

before(async () => {
  wire = parseWire(await readFile(wireFile, 'utf8'));
  started = await startTestHearsay({ stt: 'none', tts: 'none' });
  const response = await fetch(`${started.hearsay.url}/openapi/v1.json`);
  assert.equal(response.status, 200);
  document = await response.json();
});

after(async () => {
  await started?.cleanup();
});

/** Where the document describes each type of wire.ts. */
function counterparts() {
  const schemas = document.components.schemas;
  const transcriptions = document.paths['/v1/audio/transcriptions'].post.responses['200'].content;
  const json = transcriptions['application/json'].schema.oneOf.map(resolve);
  const verbose = json.find((schema) => 'segments' in schema.properties);
  return {
    CapabilityState: schemas.CapabilityState,
    DownloadProgress: schemas.DownloadProgress,
    DownloadFailure: withoutNull(schemas.DownloadProgress.properties.failure),
    CapabilityStatus: schemas.CapabilityStatus,
    ToolStatus: schemas.ToolStatus,
    HearsayStatus: schemas.HearsayStatus,
    CatalogEntry: schemas.CatalogEntry,
    CatalogList: schemas.CatalogList,
    VerifyResult: schemas.VerifyResult,
    ModelList: schemas.ModelList,
    ModelInfo: schemas.ModelInfo,
    Transcription: json.find((schema) => !('segments' in schema.properties)),
    VerboseTranscription: verbose,
    TranscriptionSegment: resolve(verbose.properties.segments.items),
    TranscriptionWord: resolve(verbose.properties.words.items),
    TranscriptTextEvent: transcriptions['text/event-stream'].schema,
    ErrorEnvelope: schemas.ErrorResponse,
  };
}

/** A nullable property's schema as the type of its non-null values. */
function withoutNull(schema) {
  return { ...schema, type: 'string', enum: schema.enum?.filter((value) => value !== null) };
}

/** The types checked some other way than against one schema. */
const checkedOtherwise = ['Capability', 'ReadyLine'];

test('wire_EveryType_HasACounterpart', () => {
  const known = [...Object.keys(counterparts()), ...checkedOtherwise].sort();

  assert.deepEqual([...wire.keys()].sort(), known, 'each type of wire.ts needs its schema named in counterparts() here');
});

test('wire_SchemaTypes_MatchTheOpenApiDocument', { timeout }, async (t) => {
  for (const [name, schema] of Object.entries(counterparts())) {
    await t.test(name, () => {
      assert.ok(schema, `the document has no schema for ${name}`);
      compare(named(name), alternativesOfSchema(schema), name, { variants: false });
    });
  }
});

test('wire_Capability_IsEveryCapabilityOfTheStatus', () => {
  const status = document.components.schemas.HearsayStatus.properties;
  const capabilities = Object.keys(status).filter((key) => status[key].$ref === '#/components/schemas/CapabilityStatus');

  assert.deepEqual(stringValues(named('Capability')).sort(), capabilities.sort());
});

test('wire_ReadyLine_MatchesWhatTheBinaryPrints', { timeout }, async () => {
  const line = await readyLine();

  const type = single(named('ReadyLine'), 'object');
  assert.deepEqual([...type.properties.keys()].sort(), Object.keys(line).sort());
  for (const [key, property] of type.properties) {
    assert.equal(property.optional, false, `ReadyLine.${key}: the ready line always has it`);
    const [alternative] = property.alternatives;
    assert.equal(alternative.json, typeof line[key], `ReadyLine.${key}`);
    if (alternative.values) {
      assert.ok(alternative.values.includes(line[key]), `ReadyLine.${key} is ${line[key]}, not one of ${alternative.values}`);
    }
  }
});

// wire.ts, read with TypeScript's own parser: each type as the JSON values it allows.

function parseWire(text) {
  const source = ts.createSourceFile(wireFile, text, ts.ScriptTarget.ES2022, true);
  const types = new Map();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      types.set(statement.name.text, { kind: 'object', members: statement.members });
    } else if (ts.isTypeAliasDeclaration(statement)) {
      types.set(statement.name.text, { kind: 'alias', type: statement.type });
    } else {
      throw new Error(`wire.ts holds a ${ts.SyntaxKind[statement.kind]}, which this test does not read`);
    }
  }
  return types;
}

/** A named type of wire.ts as its alternatives. */
function named(name) {
  const declaration = wire.get(name);
  assert.ok(declaration, `wire.ts has no type ${name}`);
  return declaration.kind === 'object' ? [objectOfMembers(declaration.members, name)] : alternativesOfNode(declaration.type);
}

function objectOfMembers(members, name) {
  const properties = new Map();
  for (const member of members) {
    assert.ok(ts.isPropertySignature(member) && member.type, `${name}: only plain properties are read`);
    properties.set(member.name.text, { optional: Boolean(member.questionToken), alternatives: alternativesOfNode(member.type) });
  }
  return { json: 'object', properties, name };
}

/** The JSON values a type node allows, as a list of alternatives ({ json, values?, items?, properties? }). */
function alternativesOfNode(node) {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return [{ json: 'string' }];
    case ts.SyntaxKind.NumberKeyword:
      return [{ json: 'number' }];
    case ts.SyntaxKind.BooleanKeyword:
      return [{ json: 'boolean' }];
    case ts.SyntaxKind.LiteralType:
      if (node.literal.kind === ts.SyntaxKind.NullKeyword) {
        return [{ json: 'null' }];
      }
      assert.ok(ts.isStringLiteral(node.literal), `literal ${node.getText()} is not a string`);
      return [{ json: 'string', values: [node.literal.text] }];
    case ts.SyntaxKind.UnionType:
      return mergeStrings(node.types.flatMap(alternativesOfNode));
    case ts.SyntaxKind.ArrayType:
      return [{ json: 'array', items: alternativesOfNode(node.elementType) }];
    case ts.SyntaxKind.TypeReference:
      return named(node.typeName.text);
    case ts.SyntaxKind.TypeLiteral:
      return [objectOfMembers(node.members, node.getText())];
    case ts.SyntaxKind.ParenthesizedType:
      return alternativesOfNode(node.type);
    default:
      throw new Error(`wire.ts uses ${ts.SyntaxKind[node.kind]} (${node.getText()}), which this test does not read`);
  }
}

// The document's schemas as the same alternatives.

function resolve(schema) {
  const prefix = '#/components/schemas/';
  if (schema.$ref) {
    assert.ok(schema.$ref.startsWith(prefix), `unexpected reference ${schema.$ref}`);
    return document.components.schemas[schema.$ref.slice(prefix.length)];
  }
  return schema;
}

function alternativesOfSchema(reference) {
  const schema = resolve(reference);
  if (schema.oneOf || schema.anyOf) {
    return mergeStrings((schema.oneOf ?? schema.anyOf).flatMap(alternativesOfSchema));
  }
  if (schema.enum) {
    const nullable = schema.enum.includes(null) || (Array.isArray(schema.type) && schema.type.includes('null'));
    const values = [{ json: 'string', values: schema.enum.filter((value) => value !== null) }];
    return nullable ? [...values, { json: 'null' }] : values;
  }
  const kinds = Array.isArray(schema.type) ? schema.type : [schema.type];
  return kinds.map((kind) => {
    switch (kind) {
      case 'integer':
      case 'number':
        return { json: 'number' };
      case 'array':
        return { json: 'array', items: alternativesOfSchema(schema.items) };
      case 'object': {
        const required = new Set(schema.required ?? []);
        const properties = new Map(
          Object.entries(schema.properties ?? {}).map(([key, property]) => [key, { optional: !required.has(key), alternatives: alternativesOfSchema(property) }]),
        );
        return { json: 'object', properties };
      }
      case 'string':
      case 'boolean':
      case 'null':
        return { json: kind };
      default:
        throw new Error(`schema type ${kind} is not read by this test: ${JSON.stringify(schema)}`);
    }
  });
}

// The comparison.

function compare(wireAlternatives, schemaAlternatives, where, { variants }) {
  const wireKinds = [...new Set(wireAlternatives.map((alternative) => alternative.json))].sort();
  const schemaKinds = [...new Set(schemaAlternatives.map((alternative) => alternative.json))].sort();
  if (variants) {
    // One variant of a union (a delta event) may allow less than the schema of all of them.
    assert.ok(wireKinds.every((kind) => schemaKinds.includes(kind)), `${where}: wire.ts allows ${wireKinds}, the document ${schemaKinds}`);
  } else {
    assert.deepEqual(wireKinds, schemaKinds, `${where}: wire.ts allows ${wireKinds}, the document ${schemaKinds}`);
  }

  for (const kind of wireKinds) {
    const ours = wireAlternatives.filter((alternative) => alternative.json === kind);
    const theirs = single(schemaAlternatives, kind, where);
    if (kind === 'string' && theirs.values) {
      const values = ours[0].values;
      assert.ok(values, `${where}: the document lists ${theirs.values}; wire.ts says any string`);
      if (variants) {
        assert.ok(values.every((value) => theirs.values.includes(value)), `${where}: ${values} are not all among ${theirs.values}`);
      } else {
        assert.deepEqual([...values].sort(), [...theirs.values].sort(), `${where}: string values`);
      }
    } else if (kind === 'array') {
      compare(ours[0].items, theirs.items, `${where}[]`, { variants: false });
    } else if (kind === 'object') {
      if (ours.length > 1) {
        compareVariants(ours, theirs, where);
      } else {
        compareObject(ours[0], theirs, where, { variants });
      }
    }
  }
}

function compareObject(ours, theirs, where, { variants }) {
  assert.deepEqual([...ours.properties.keys()].sort(), [...theirs.properties.keys()].sort(), `${where}: field names`);
  for (const [key, property] of ours.properties) {
    const schema = theirs.properties.get(key);
    const field = `${where}.${key}`;
    if (variants) {
      // A variant may promise a field that only some bodies have (the delta of a delta event), never the reverse.
      assert.ok(!property.optional || schema.optional, `${field}: the document says every body has it; wire.ts marks it ?`);
    } else {
      assert.equal(property.optional, schema.optional, `${field}: ${schema.optional ? 'bodies may leave it out: mark it ?' : 'every body has it: drop the ?'}`);
    }
    compare(property.alternatives, schema.alternatives, field, { variants });
  }
}

/** A union of object types (the transcription events) against the one schema that describes all of them. */
function compareVariants(variants, schema, where) {
  const names = new Set(variants.flatMap((variant) => [...variant.properties.keys()]));
  assert.deepEqual([...names].sort(), [...schema.properties.keys()].sort(), `${where}: field names of all variants`);
  for (const variant of variants) {
    const subset = { json: 'object', properties: new Map([...schema.properties].filter(([key]) => variant.properties.has(key))) };
    for (const [key, property] of schema.properties) {
      assert.ok(property.optional || variant.properties.has(key), `${where}: every body has ${key}`);
    }
    compareObject(variant, subset, where, { variants: true });
  }
}

function single(alternatives, kind, where = '') {
  const matching = alternatives.filter((alternative) => alternative.json === kind);
  assert.equal(matching.length, 1, `${where}: expected one ${kind} alternative`);
  return matching[0];
}

function mergeStrings(alternatives) {
  const strings = alternatives.filter((alternative) => alternative.json === 'string');
  if (strings.length <= 1) {
    return alternatives;
  }
  const merged = strings.some((alternative) => !alternative.values)
    ? { json: 'string' }
    : { json: 'string', values: strings.flatMap((alternative) => alternative.values) };
  return [merged, ...alternatives.filter((alternative) => alternative.json !== 'string')];
}

function stringValues(alternatives) {
  return single(alternatives, 'string').values;
}

/** Starts the binary on its own and returns the first line it prints, parsed, then stops it by closing its stdin. */
async function readyLine() {
  const folder = await mkdtemp(path.join(tmpdir(), 'hearsay-kit-ready-'));
  const child = spawn(hearsayBinary(), ['serve', '--stt', 'none', '--tts', 'none', '--models-dir', path.join(folder, 'models')], {
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  try {
    const first = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ready line within 30 s')), 30_000);
      createInterface({ input: child.stdout }).once('line', (line) => {
        clearTimeout(timer);
        resolve(line);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`hearsay serve exited (${code}) before its ready line`));
      });
    });
    return JSON.parse(first);
  } finally {
    // The end of a piped stdin stops it gracefully; a kill after a bounded wait if it does not.
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    const stopped = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(stopped);
    await rm(folder, { recursive: true, force: true });
  }
}
