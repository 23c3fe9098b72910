/** A short status message (e.g. "Rated 3 photo(s)") that clears itself five seconds after it was last set. */
import { useEffect, useState } from 'react';

export function useNotice(): [string | null, (message: string | null) => void] {
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(t);
  }, [notice]);
  return [notice, setNotice];
}
