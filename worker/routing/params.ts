type Segments<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | Segments<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

type Clean<N extends string> = N extends `${infer X}+` ? X : N extends `${infer X}?` ? X : N;
type OptionalNames<P extends string> = Segments<P> extends infer S ? (S extends `${infer X}?` ? X : never) : never;

/** Param names in an itty-style path: "/users/:id/posts/:slug?" -> "id" | "slug". */
export type ParamNames<P extends string> = Clean<Segments<P>>;

type Flatten<T> = { [K in keyof T]: T[K] };

/** Typed params: `:id` is a string, an optional `:slug?` may be absent. */
export type RouteParams<P extends string> = Flatten<
  { [K in Exclude<ParamNames<P>, OptionalNames<P>>]: string } & { [K in OptionalNames<P>]?: string }
>;
