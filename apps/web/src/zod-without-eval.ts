import { z } from "zod";

// Spar's Content-Security-Policy allows no eval. Zod would otherwise probe for it with
// `new Function("")` at the first parse (to compile faster parsers), and the browser reports that
// probe as a policy violation. Imported first by main.tsx, before any schema parses.
z.config({ jitless: true });
