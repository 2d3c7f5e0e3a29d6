#!/usr/bin/env node
// Runs tools/ghostlab.ts through tsx's ESM loader, so the CLI needs no build step.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../tools/ghostlab.ts', import.meta.url).href);
