/** A JSON resource read again every few seconds while a page shows it. */
import { useEffect, useState } from 'react';
import { getJson } from './api';

/**
 * `url`'s JSON, read at once and then every `everyMs`; `undefined` until the first answer, and
 * while `url` is undefined (nothing to ask yet). `problem` holds the last error, cleared by an answer.
 */
export function usePolled<T>(url: string | undefined, everyMs = 3000): { data?: T; problem?: string } {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    if (url === undefined) return;
    let live = true;
    const load = () =>
      getJson<T>(url).then(
        (r) => {
          if (!live) return;
          setData(r);
          setProblem(undefined);
        },
        (e: Error) => live && setProblem(e.message),
      );
    void load();
    const timer = setInterval(() => void load(), everyMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [url, everyMs]);
  return { data, problem };
}
