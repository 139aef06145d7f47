node_modules/
.wrangler/
.dev.vars
public/stratus/
*.log
