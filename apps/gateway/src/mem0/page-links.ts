/** mem0's pagination envelope fields: the total and the URLs of the neighbouring pages. */
export interface PageLinks {
  readonly count: number;
  readonly next: string | null;
  readonly previous: string | null;
}

/**
 * `count`, `next` and `previous` for page `page` of `pageSize` over `total` items, as absolute URLs
 * built from the request URL with its `page`/`page_size` query parameters replaced.
 */
export function pageLinks(requestUrl: string, page: number, pageSize: number, total: number): PageLinks {
  const at = (target: number): string => {
    const url = new URL(requestUrl);
    url.searchParams.set('page', String(target));
    url.searchParams.set('page_size', String(pageSize));
    return url.toString();
  };
  return {
    count: total,
    next: page * pageSize < total ? at(page + 1) : null,
    previous: page > 1 ? at(page - 1) : null,
  };
}
