import { Repository, type Database } from "stratus/db";
import { oauthAccounts, type OAuthAccount } from "../schema";

export class OAuthAccountRepository extends Repository<typeof oauthAccounts> {
  constructor(db: Database) {
    super(db, oauthAccounts, { entity: "OAuth account", defaultOrder: { column: "createdAt", direction: "asc" } });
  }

  findFor(provider: string, providerUserId: string): Promise<OAuthAccount | undefined> {
    return this.findBy({ provider, providerUserId });
  }
}
