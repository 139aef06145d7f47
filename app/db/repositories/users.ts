import { Repository, type Database } from "stratus/db";
import { users, type User } from "../schema";

export class UserRepository extends Repository<typeof users> {
  constructor(db: Database, pageSize?: number) {
    super(db, users, { entity: "user", defaultOrder: { column: "createdAt", direction: "desc" }, ...(pageSize ? { pageSize } : {}) });
  }

  findByEmail(email: string): Promise<User | undefined> {
    return this.findBy({ email: email.toLowerCase() });
  }
}

export type PublicUser = Omit<User, "passwordHash">;

/** A user as the JSON API shows it: never the password hash. */
export function publicUser(user: User): PublicUser {
  const { passwordHash: _hidden, ...shown } = user;
  return shown;
}
