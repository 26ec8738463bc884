import { useEffect, useState } from 'react';

import { useFetchClient } from '@strapi/strapi/admin';

import { PLUGIN_ID } from '../pluginId';
import type { ListResponse, Lists } from './types';

export type ListState<Item> =
  | { status: 'loading' }
  | { status: 'error' }
  | { status: 'success'; items: Item[]; total: number };

/** The admin API's largest page: the lists show their first 100 items. */
const PAGE_SIZE = 100;

/** Loads the first page of one of the plugin's admin lists. */
export const useList = <Name extends keyof Lists>(name: Name, reloadKey = 0) => {
  const { get } = useFetchClient();
  const [state, setState] = useState<ListState<Lists[Name]>>({ status: 'loading' });

  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    get<ListResponse<Lists[Name]>>(`/${PLUGIN_ID}/${name}`, { params: { pageSize: PAGE_SIZE } })
      .then(({ data }) => {
        if (current) {
          setState({ status: 'success', items: data.data, total: data.meta.pagination.total });
        }
      })
      .catch(() => {
        if (current) {
          setState({ status: 'error' });
        }
      });
    return () => {
      current = false;
    };
  }, [get, name, reloadKey]);

  return state;
};
