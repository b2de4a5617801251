'use strict';
// The renderer's microphone capture uses Hearsay's page's worklet, one file for both: copied into dist/renderer, with
// a package.json that marks the folder's modules as ES modules.
const { copyFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist', 'renderer');
copyFileSync(path.join(root, '..', '..', 'src', 'Hearsay.Server', 'Web', 'Page', 'recorder-worklet.js'), path.join(out, 'recorder-worklet.js'));
writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
