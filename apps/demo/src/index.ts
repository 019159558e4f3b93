#!/usr/bin/env node
import { runDemo } from './demo.js';

const color = process.stdout.isTTY === true && (process.env.NO_COLOR ?? '') === '';
process.exitCode = await runDemo({ write: (text) => process.stdout.write(text), color });
