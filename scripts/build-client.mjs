/**
 * `npm run build:client`: the package `strapi-plugin-personalize-client` (client/) into
 * client/dist/, for each entry (`.`, `/server`, `/react`, `/profiles`, `/graphql`):
 * - `<entry>.mjs` and `<entry>.cjs`, bundled by esbuild (no runtime dependency; React external);
 * - `<entry>.d.mts` and `<entry>.d.cts`, TypeScript's declarations of client/src. The shapes it
 *   takes from the server's contracts (zod schemas there) are printed as plain types into
 *   `contracts.d.mts`/`.d.cts`, so that the package's types need neither zod nor the DOM library.
 * `/edge` is the plugin's `strapi-plugin-personalize/edge` (server/src/edge/), its dependencies
 * (zod, murmurhash) bundled, so that a worker project needs neither the plugin nor its Strapi peer:
 * the same files in client/dist/edge/.
 */
import fs from 'node:fs';
import path from 'node:path';

import { CLIENT_BUNDLE, ROOT } from './lib.mjs';

const esbuild = (await import('esbuild')).default;
const ts = (await import('typescript')).default;

const CLIENT = path.join(ROOT, 'client');
const SOURCES = path.join(CLIENT, 'src');
const OUT = path.join(CLIENT, 'dist');
const ENTRIES = ['index', 'server', 'react', 'profiles', 'graphql'];
const EDGE = path.join(ROOT, 'server/src/edge');

const sourceOf = (entry) =>
  ['.ts', '.tsx'].map((ext) => path.join(SOURCES, `${entry}${ext}`)).find(fs.existsSync);

const buildJavaScript = () =>
  Promise.all(
    ['esm', 'cjs'].map((format) =>
      esbuild.build({
        entryPoints: {
          ...Object.fromEntries(ENTRIES.map((entry) => [entry, sourceOf(entry)])),
          'edge/index': path.join(EDGE, 'index.ts'),
        },
        outdir: OUT,
        outExtension: { '.js': format === 'esm' ? '.mjs' : '.cjs' },
        ...CLIENT_BUNDLE,
        format,
        platform: 'neutral',
        logLevel: 'warning',
      })
    )
  );

/** The declarations of the files in `sources`, by file name without extension (`types`, `client`…). */
const emitDeclarations = (program, sources) => {
  const declarations = new Map();
  const result = program.emit(undefined, (fileName, text) => {
    const relative = path.relative(path.join(OUT, path.relative(ROOT, sources)), fileName);
    if (!relative.startsWith('..')) declarations.set(relative.replace(/\.d\.ts$/, ''), text);
  });
  const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics);
  if (errors.length > 0) {
    throw new Error(ts.formatDiagnosticsWithColorAndContext(errors, ts.createCompilerHost({})));
  }
  return declarations;
};

/** Which names each declaration imports from `outside` (the server's contracts). */
const outsideImports = (declarations, outside) => {
  const names = new Map(); // module path (from `sources`) → names
  for (const text of declarations.values()) {
    const file = ts.createSourceFile('x.d.ts', text, ts.ScriptTarget.Latest);
    for (const statement of file.statements) {
      const specifier = statement.moduleSpecifier?.text;
      if (!specifier || !outside.test(specifier)) continue;
      const bindings = statement.importClause?.namedBindings ?? statement.exportClause;
      if (!bindings?.elements) throw new Error(`${specifier}: only named imports are printed`);
      const set = names.get(specifier) ?? new Set();
      for (const element of bindings.elements) set.add((element.propertyName ?? element.name).text);
      names.set(specifier, set);
    }
  }
  return names;
};

/**
 * A type as plain TypeScript, keeping the properties' doc comments; a part that is one of the
 * contracts already printed (`named`) is named.
 */
const printType = (checker, type, indent, named) => {
  if (named.has(type)) return named.get(type);
  const print = (part, at = indent) => printType(checker, part, at, named);
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias;
  const isObject = (t) =>
    t.flags & ts.TypeFlags.Object && !checker.isArrayType(t) && t.getCallSignatures().length === 0;
  if (type.isUnion() && type.types.some(isObject)) {
    return type.types.map((member) => print(member)).join(' | ');
  }
  if (checker.isArrayType(type)) {
    const [element] = checker.getTypeArguments(type);
    return `Array<${print(element)}>`;
  }
  if (!isObject(type)) return checker.typeToString(type, undefined, flags);
  const inner = `${indent}  `;
  const lines = [];
  for (const property of checker.getPropertiesOfType(type)) {
    const doc = ts.displayPartsToString(property.getDocumentationComment(checker));
    if (doc) lines.push(`${inner}/** ${doc.replace(/\s*\n\s*/g, ' ')} */`);
    const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
    const propertyType = checker.getTypeOfSymbol(property);
    lines.push(`${inner}${property.name}${optional}: ${print(propertyType, inner)};`);
  }
  for (const info of checker.getIndexInfosOfType(type)) {
    const key = checker.typeToString(info.keyType);
    lines.push(`${inner}[key: ${key}]: ${print(info.type, inner)};`);
  }
  return lines.length === 0 ? '{}' : `{\n${lines.join('\n')}\n${indent}}`;
};

/** `contracts.d.ts`: each contract type the declarations of `sources` use, printed in full. */
const printContracts = (program, sources, imports) => {
  const checker = program.getTypeChecker();
  const printed = [
    '// The shapes of the plugin delivery API (its server contracts), printed by scripts/build-client.mjs.',
  ];
  const named = new Map(); // type → its contract's name
  for (const [specifier, names] of imports) {
    const module = path.resolve(sources, specifier);
    const fileName = [`${module}.ts`, path.join(module, 'index.ts')].find(fs.existsSync);
    const source = fileName && program.getSourceFile(fileName);
    if (!source) throw new Error(`${module} is not in the program`);
    const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(source));
    for (const name of names) {
      if ([...named.values()].includes(name)) throw new Error(`two contracts named ${name}`);
      const exported = exports.find((symbol) => symbol.name === name);
      if (!exported) throw new Error(`${specifier} exports no ${name}`);
      const symbol =
        exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker));
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      const text = printType(checker, type, '', named);
      named.set(type, name);
      printed.push(`${doc ? `/** ${doc} */\n` : ''}export type ${name} = ${text};`);
    }
  }
  return `${printed.join('\n')}\n`;
};

/**
 * One declaration file for ESM (`.d.mts`) or CommonJS (`.d.cts`), its imports named to match: those
 * from `outside` are of `./contracts`.
 */
const withExtension = (text, extension, outside) =>
  text.replace(/(from |import\()'([^']+)'/g, (whole, keyword, specifier) => {
    if (outside.test(specifier)) return `${keyword}'./contracts.${extension}'`;
    return specifier.startsWith('./') ? `${keyword}'${specifier}.${extension}'` : whole;
  });

/**
 * The declarations of `sources` (files of the project `tsconfig`, or `roots` and what they import)
 * into `out`, with `contracts.d.mts`/`.d.cts` for the types they import from `outside`.
 */
const buildDeclarations = ({ tsconfig, roots, sources, outside, out }) => {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {
      noEmit: false,
      declaration: true,
      emitDeclarationOnly: true,
      composite: false,
      incremental: false,
      rootDir: ROOT,
      outDir: OUT,
    },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.error(d.messageText) }
  );
  const program = ts.createProgram(roots ?? config.fileNames, config.options);
  const declarations = emitDeclarations(program, sources);
  declarations.set(
    'contracts',
    printContracts(program, sources, outsideImports(declarations, outside))
  );
  fs.mkdirSync(out, { recursive: true });
  for (const [name, text] of declarations) {
    fs.writeFileSync(path.join(out, `${name}.d.mts`), withExtension(text, 'mjs', outside));
    fs.writeFileSync(path.join(out, `${name}.d.cts`), withExtension(text, 'cjs', outside));
  }
};

fs.rmSync(OUT, { recursive: true, force: true });
await buildJavaScript();
buildDeclarations({
  tsconfig: path.join(CLIENT, 'tsconfig.json'),
  sources: SOURCES,
  outside: /^\.\.\/\.\.\//,
  out: OUT,
});
// The edge's own files import the contracts and the engine's types from one folder up.
buildDeclarations({
  tsconfig: path.join(ROOT, 'server/tsconfig.json'),
  roots: [path.join(EDGE, 'index.ts')],
  sources: EDGE,
  outside: /^\.\.\//,
  out: path.join(OUT, 'edge'),
});
console.log(`client/dist: ${fs.readdirSync(OUT).length} files`);
