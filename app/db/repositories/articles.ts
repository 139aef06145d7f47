import { sql, type SQL } from "drizzle-orm";
import { Repository, type Database } from "stratus/db";
import { articles, type Article } from "../schema";

export class ArticleRepository extends Repository<typeof articles> {
  constructor(db: Database, pageSize?: number) {
    super(db, articles, { entity: "article", defaultOrder: { column: "createdAt", direction: "desc" }, ...(pageSize ? { pageSize } : {}) });
  }

  findBySlug(slug: string): Promise<Article | undefined> {
    return this.findBy({ slug });
  }

  /** Rows whose JSON `tags` array holds `tag`; combine with `and(...)` for other filters. */
  static hasTag(tag: string): SQL {
    return sql`exists (select 1 from json_each(${articles.tags}) where json_each.value = ${tag})`;
  }
}
