import { useEffect, useState } from 'react';

import { Dimensions, toExporterError } from '../../api';
import type { DataSource } from '../../datasource';

export interface DimensionsState {
  dimensions?: Dimensions;
  /** Why the picker values could not be loaded; typed values still work. */
  error?: string;
}

/** The values the filter pickers offer, from `/api/v1/dimensions` (cached by the data source). */
export function useDimensions(datasource: DataSource): DimensionsState {
  const [state, setState] = useState<DimensionsState>({});
  useEffect(() => {
    let mounted = true;
    datasource.getDimensions().then(
      (dimensions) => mounted && setState({ dimensions }),
      (error: unknown) => mounted && setState({ error: toExporterError(error, 'GET /api/v1/dimensions').message })
    );
    return () => {
      mounted = false;
    };
  }, [datasource]);
  return state;
}
