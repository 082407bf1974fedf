/** The TS mirror of conformance/main.go's Arith service and its types. */
import { bytes, iface, int, int64, mapOf, sliceOf, string, struct } from '../../gob/index';
import { emptyStruct, type RpcService } from '../index';

export const Args = struct('Args', () => [['A', int64], ['B', int64]]);
export const Quotient = struct('Quotient', () => [['Quo', int64], ['Rem', int64]]);
export const Post = struct('Post', () => [
  ['Id', string], ['CreateAt', int64], ['Message', string], ['Props', mapOf(string, iface)], ['FileIds', sliceOf(string)],
]);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const arith: RpcService = {
  Divide: {
    reply: Quotient,
    handle: (args) => {
      const { A = 0, B = 0 } = args as { A?: number; B?: number };
      if (B === 0) throw new Error('divide by zero');
      return { Quo: Math.trunc(A / B), Rem: A % B };
    },
  },
  Echo: { reply: bytes, handle: (args) => args },
  Sleep: {
    reply: int,
    handle: async (args) => {
      await sleep(args as number);
      return args;
    },
  },
  Fail: {
    reply: emptyStruct,
    handle: (args) => {
      throw new Error(args as string);
    },
  },
  Nothing: { reply: emptyStruct, handle: () => undefined },
  Post: {
    reply: Post,
    handle: (args) => {
      const post = args as { Message?: string };
      return { ...post, Message: `${post.Message ?? ''}!` };
    },
  },
};
