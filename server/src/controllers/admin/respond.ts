import type { Context } from 'koa';

/** Answers with Strapi's `{ data, meta }` shape once `work` is done. */
export const respond = async (ctx: Context, work: Promise<unknown>, status = 200) => {
  const data = await work;
  ctx.status = status;
  ctx.body = { data, meta: {} };
};
