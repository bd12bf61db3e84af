/**
 * The tensor element types the graph builder offers, with their ONNX codes
 * (TensorProto.DataType) and the typed arrays that hold them in JS.
 */

export type DType = 'float32' | 'uint8' | 'int32' | 'int64' | 'bool';

/** Types arithmetic ops accept (bool is only for comparisons and Where). */
export type NumericDType = Exclude<DType, 'bool'>;

export interface TypedArrayFor {
  float32: Float32Array;
  uint8: Uint8Array;
  int32: Int32Array;
  int64: BigInt64Array;
  bool: Uint8Array;
}

export const ONNX_DATA_TYPE: Readonly<Record<DType, number>> = {
  float32: 1,
  uint8: 2,
  int32: 6,
  int64: 7,
  bool: 9,
};

/** Typed array of `values` for `dtype`; bools are stored as 0/1 bytes, as ONNX raw data does. */
export function typedArrayOf<D extends DType>(dtype: D, values: readonly number[]): TypedArrayFor[D] {
  const arrays: { [K in DType]: () => TypedArrayFor[K] } = {
    float32: () => Float32Array.from(values),
    uint8: () => Uint8Array.from(values),
    int32: () => Int32Array.from(values),
    int64: () => BigInt64Array.from(values, (v) => BigInt(Math.trunc(v))),
    bool: () => Uint8Array.from(values, (v) => (v ? 1 : 0)),
  };
  return arrays[dtype]();
}

/** Little-endian bytes of a typed array, as TensorProto.raw_data wants (every platform ORT ships for is little-endian). */
export function rawBytes(data: TypedArrayFor[DType]): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}
