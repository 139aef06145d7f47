# Local secrets for `npm run dev` (never committed). In production: `npx wrangler secret put APP_KEY`.
APP_KEY="{{appKey}}"
