name = "{{name}}"
main = "app/index.ts"
compatibility_date = "2026-11-01"
compatibility_flags = []

# Workers Logs.
[observability]
enabled = true

[vars]
APP_NAME = "{{name}}"
APP_ENV = "development"
APP_URL = "http://localhost:8787"
CORS_ORIGINS = "http://localhost:8787"
QUEUE_NAME = "{{name}}-jobs"
QUEUE_DLQ_NAME = "{{name}}-jobs-dlq"

[[d1_databases]]
binding = "DB"
database_name = "{{name}}"
migrations_dir = "migrations"

[[kv_namespaces]]
binding = "CACHE"

# Live component uploads (temporary until an action keeps them; the housekeeping cron sweeps the rest).
[[r2_buckets]]
binding = "UPLOADS"
bucket_name = "{{name}}-uploads"

[[queues.producers]]
binding = "JOBS"
queue = "{{name}}-jobs"

[[queues.consumers]]
queue = "{{name}}-jobs"
max_batch_size = 10
max_batch_timeout = 1
max_retries = 5
dead_letter_queue = "{{name}}-jobs-dlq"

[[queues.producers]]
binding = "JOBS_DLQ"
queue = "{{name}}-jobs-dlq"

# The Worker also reads its dead-letter queue, so a message the runtime dead-lettered lands in failed_jobs.
[[queues.consumers]]
queue = "{{name}}-jobs-dlq"
max_batch_size = 10
max_batch_timeout = 1
max_retries = 10

# The framework's housekeeping (expired job locks, sign-in tokens, sessions, unkept uploads) runs on
# this cron (SCHEDULE_HOUSEKEEPING_CRON); add your own schedules' crons here too.
[triggers]
crons = ["*/5 * * * *"]

# Static files; public/stratus/client.js (the live runtime) is copied there by `stratus client`.
[assets]
directory = "public"
binding = "ASSETS"

# Live components: one binding and one migration tag each (`npx stratus make:component Name` adds both).
[[durable_objects.bindings]]
name = "COUNTER"
class_name = "Counter"

# The cluster's own objects (stratus/live): relays fan a component out, one registry per instance tracks them,
# hubs are the optional level between a root and its relays.
[[durable_objects.bindings]]
name = "STRATUS_RELAY"
class_name = "Relay"

[[durable_objects.bindings]]
name = "STRATUS_REGISTRY"
class_name = "StratusRegistry"

# Topic subscriptions (Topics, events.broadcast(..., { topic })): one object per topic root.
[[durable_objects.bindings]]
name = "TOPICS"
class_name = "TopicRegistry"

[[durable_objects.bindings]]
name = "STRATUS_HUB"
class_name = "RelayHub"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Counter", "Relay", "StratusRegistry", "TopicRegistry", "RelayHub"]
