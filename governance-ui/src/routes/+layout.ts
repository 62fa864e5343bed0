// Every page renders in the browser: it reads the chain and the controller directly, and signs with the member's
// wallet. The build is a static app (adapter-static with an index.html fallback).
export const ssr = false;
export const prerender = false;
