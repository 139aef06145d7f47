// `npm run bench -- <name>` runs bench/<name>/index.mjs's default export.
const name = process.argv[2];
if (!name || !/^[\w-]+$/.test(name)) {
  console.error("usage: npm run bench -- <name>   (a folder under bench/)");
  process.exit(2);
}
const mod = await import(new URL(`./${name}/index.mjs`, import.meta.url));
await mod.default(process.argv.slice(3));
