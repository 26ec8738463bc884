import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import { getService } from '../../utils/get-service';

/** Admin CRUD and publication of variants: `/personalize/variants`. */
const variants = ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService(strapi, 'variants');
  return {
    async find(ctx: Context) {
      ctx.body = await service().list(ctx.query);
    },
    async findOne(ctx: Context) {
      ctx.body = { data: await service().findOne(ctx.params.documentId), meta: {} };
    },
    async create(ctx: Context) {
      ctx.status = 201;
      ctx.body = { data: await service().create(ctx.request.body), meta: {} };
    },
    async update(ctx: Context) {
      ctx.body = {
        data: await service().update(ctx.params.documentId, ctx.request.body),
        meta: {},
      };
    },
    async delete(ctx: Context) {
      ctx.body = { data: await service().delete(ctx.params.documentId), meta: {} };
    },
    async publish(ctx: Context) {
      ctx.body = { data: await service().publish(ctx.params.documentId), meta: {} };
    },
    async unpublish(ctx: Context) {
      ctx.body = { data: await service().unpublish(ctx.params.documentId), meta: {} };
    },
  };
};

export default variants;
