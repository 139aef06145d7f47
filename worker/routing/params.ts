type Clean<N extends string> = N extends `${infer X}+` ? X : N extends `${infer X}?` ? X : N;

/** Param names in an itty-style path: "/users/:id/posts/:slug" -> "id" | "slug". */
export type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Clean<Name> | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Clean<Name>
    : never;

export type RouteParams<P extends string> = { [K in ParamNames<P>]: string };
