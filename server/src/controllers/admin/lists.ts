import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { ListName } from '../../services/catalog';
import { getService } from '../../utils/get-service';
import { pageQuerySchema } from '../../contracts';
import { parseOrThrow } from '../../utils/validation';

/** A controller whose `find` action serves one paginated catalog list. */
export const listController =
  (name: ListName) =>
  ({ strapi }: { strapi: Core.Strapi }) => ({
    async find(ctx: Context) {
      const page = parseOrThrow(pageQuerySchema, ctx.query, 'query');
      ctx.body = await getService(strapi, 'catalog').list(name, page);
    },
  });
