/**
 * onnx-proto is CommonJS; Node's ESM loader only exposes its default export,
 * so the `onnx` namespace (ModelProto, TensorProto, …) is taken from there.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxNamespace } from 'onnx-proto';

export const onnx = onnxProto.onnx;

export type AttributeProto = OnnxNamespace.IAttributeProto;
export type NodeProto = OnnxNamespace.INodeProto;
export type TensorProto = OnnxNamespace.ITensorProto;
export type ValueInfoProto = OnnxNamespace.IValueInfoProto;
export type ModelProto = OnnxNamespace.IModelProto;
