#!/usr/bin/env node
// `npx airgap-lint` entry: the CLI is bundled into dist/cli.js by `npm run build`.
require('../dist/cli.js');
