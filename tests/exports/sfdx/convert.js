// Test helper: Salesforce's own metadata library reads a leadspec SFDX export.
// Usage: node convert.js PROJECT_DIR OUTPUT_DIR
// Resolves the project's source (force-app) and its manifest/package.xml, converts the
// source to Metadata API format in OUTPUT_DIR, and prints what it found as JSON.
'use strict';
const path = require('path');
const { ComponentSet, MetadataConverter } = require('@salesforce/source-deploy-retrieve');

async function main() {
  const [project, output] = process.argv.slice(2);
  const source = path.join(project, 'force-app');
  const fromSource = ComponentSet.fromSource(source);
  const fromManifest = await ComponentSet.fromManifest({
    manifestPath: path.join(project, 'manifest', 'package.xml'),
    resolveSourcePaths: [source],
  });
  const describe = (set) =>
    set
      .toArray()
      .map((c) => `${c.type.name}:${c.fullName}`)
      .sort();
  const result = await new MetadataConverter().convert(fromSource, 'metadata', {
    type: 'directory',
    outputDirectory: output,
    packageName: 'leadspec',
    genUniqueDir: false,
  });
  process.stdout.write(
    JSON.stringify({
      source: describe(fromSource),
      manifest: describe(fromManifest),
      converted: result.packagePath ? path.relative(output, result.packagePath) : null,
      packageXml: await fromSource.getPackageXml(),
    }) + '\n',
  );
}

main().catch((error) => {
  process.stderr.write(`${error.name}: ${error.message}\n`);
  process.exit(1);
});
