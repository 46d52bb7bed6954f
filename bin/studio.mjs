#!/usr/bin/env node
// The `studio` command. Registers tsx so the TypeScript sources run without a separate build step.
import { register } from "tsx/esm/api";

register();
await import("../cli/studio.ts");
