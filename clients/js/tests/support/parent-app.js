'use strict';
// A stand-in for an app's main process: starts Hearsay through the kit, prints {"pid":N} (Hearsay's process id) on
// stdout, and waits to be killed. The parent-exit test SIGKILLs it and checks that Hearsay goes too.
const { startHearsay } = require('../../dist');
const { hearsayBinary, testModels } = require('./hearsay');

startHearsay({ binaryPath: hearsayBinary(), modelsDir: process.argv[2], ...testModels(), log: () => {} }).then(
  (hearsay) => {
    process.stdout.write(`${JSON.stringify({ pid: hearsay.pid })}\n`);
    setInterval(() => {}, 60_000);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
