# Local secrets for `npm run dev` (never committed). In production: `npx wrangler secret put APP_KEY`.
APP_KEY="{{appKey}}"
# Opens /admin/jobs (`npx stratus jobs:failed`, `jobs:retry <id>`) locally; unset, those routes stay closed.
QUEUE_ADMIN_TOKEN="{{adminToken}}"
