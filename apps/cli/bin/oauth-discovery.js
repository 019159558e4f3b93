#!/usr/bin/env node
// A committed launcher, so that installing the workspace can link the command before the first build.
await import('../dist/cli.js');
