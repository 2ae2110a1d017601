/**
 * Typed request/reply protocols: a request type carries the type of its reply.
 *
 * @module
 */

declare const replyBrand: unique symbol;

/**
 * A call request whose reply is `Reply`, in one declaration. The reply type is a phantom: it
 * costs nothing at run time, and `ref.call(request)` is typed `Promise<Reply>`.
 *
 * @typeParam Req the request's shape (usually one member of a union discriminated on `kind`).
 * @typeParam Reply what the server replies to it.
 * @example
 * ```ts
 * type CounterCall =
 *   | Call<{ kind: 'get' }, number>
 *   | Call<{ kind: 'add'; n: number }, number>;
 * const n = await counter.call({ kind: 'get' }); // n: number
 * ```
 * @since 0.1.0
 */
export type Call<Req, Reply> = Req & { readonly [replyBrand]?: Reply };

/** The reply type a request member declares (`unknown` for a member declared without {@link Call}). */
type DeclaredReply<M> = M extends { readonly [replyBrand]?: infer R } ? R : unknown;

/**
 * The reply type of request `Q` in protocol `Req`: the reply declared by every member of `Req`
 * that `Q` matches.
 *
 * @example
 * ```ts
 * type R = ReplyOf<CounterCall, { kind: 'get' }>; // number
 * ```
 * @since 0.1.0
 */
export type ReplyOf<Req, Q> = Req extends unknown ? (Q extends Req ? DeclaredReply<Req> : never) : never;

/**
 * Every reply type of protocol `Req`: what a `handleCall` may reply.
 *
 * @example
 * ```ts
 * type Any = AnyReply<CounterCall>; // number
 * ```
 * @since 0.1.0
 */
export type AnyReply<Req> = Req extends unknown ? DeclaredReply<Req> : never;
