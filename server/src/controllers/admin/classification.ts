import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

import type { ListName } from '../../services/catalog';
import type { ClassificationKind } from '../../services/classification';
import { getService } from '../../utils/get-service';
import { listController } from './lists';

/**
 * Admin CRUD of personas or journey stages, and where one is used: `/personalize/personas`,
 * `/personalize/stages`.
 */
export const classificationController =
  (kind: ClassificationKind, list: ListName) =>
  ({ strapi }: { strapi: Core.Strapi }) => {
    const service = () => getService(strapi, 'classification');
    return {
      ...listController(list)({ strapi }),
      async findOne(ctx: Context) {
        ctx.body = { data: await service().findOne(kind, ctx.params.documentId), meta: {} };
      },
      async create(ctx: Context) {
        ctx.status = 201;
        ctx.body = { data: await service().create(kind, ctx.request.body), meta: {} };
      },
      async update(ctx: Context) {
        ctx.body = {
          data: await service().update(kind, ctx.params.documentId, ctx.request.body),
          meta: {},
        };
      },
      /** `PUT /personalize/stages/order`: journey stages only. */
      async reorder(ctx: Context) {
        ctx.body = { data: await service().reorderStages(ctx.request.body), meta: {} };
      },
      async delete(ctx: Context) {
        ctx.body = { data: await service().delete(kind, ctx.params.documentId), meta: {} };
      },
      /** Its variants and their experiments, of the entries the admin may read. */
      async usage(ctx: Context) {
        const access = getService(strapi, 'access').forAdmin(ctx);
        ctx.body = {
          data: await getService(strapi, 'classificationUsage').find(
            access,
            kind,
            ctx.params.documentId
          ),
          meta: {},
        };
      },
    };
  };
