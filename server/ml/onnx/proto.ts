/**
 * The part of onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, IR version 8+)
 * that the studio writes and reads, compiled at load time by protobufjs. Field numbers are the
 * upstream ones, so any ONNX tool reads what we write. Repeated numbers are declared packed to keep
 * tree ensembles small; protobuf parsers accept packed and unpacked encodings alike.
 */
import protobuf from "protobufjs";

const ONNX_PROTO = `
syntax = "proto2";
package onnx;

message AttributeProto {
  enum AttributeType {
    UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5; FLOATS = 6; INTS = 7;
    STRINGS = 8; TENSORS = 9; GRAPHS = 10; SPARSE_TENSOR = 11; SPARSE_TENSORS = 12; TYPE_PROTO = 13; TYPE_PROTOS = 14;
  }
  optional string name = 1;
  optional string ref_attr_name = 21;
  optional string doc_string = 13;
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  optional GraphProto g = 6;
  repeated float floats = 7 [packed = true];
  repeated int64 ints = 8 [packed = true];
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11;
}

message ValueInfoProto {
  optional string name = 1;
  optional TypeProto type = 2;
  optional string doc_string = 3;
}

message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
}

message StringStringEntryProto {
  optional string key = 1;
  optional string value = 2;
}

message OperatorSetIdProto {
  optional string domain = 1;
  optional int64 version = 2;
}

message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}

message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}

message TensorProto {
  repeated int64 dims = 1 [packed = true];
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional string doc_string = 12;
  optional bytes raw_data = 9;
  repeated double double_data = 10 [packed = true];
  repeated uint64 uint64_data = 11 [packed = true];
}

message TensorShapeProto {
  message Dimension {
    oneof value {
      int64 dim_value = 1;
      string dim_param = 2;
    }
    optional string denotation = 3;
  }
  repeated Dimension dim = 1;
}

message TypeProto {
  message Tensor {
    optional int32 elem_type = 1;
    optional TensorShapeProto shape = 2;
  }
  message Sequence {
    optional TypeProto elem_type = 1;
  }
  message Map {
    optional int32 key_type = 1;
    optional TypeProto value_type = 2;
  }
  message Optional {
    optional TypeProto elem_type = 1;
  }
  oneof value {
    Tensor tensor_type = 1;
    Sequence sequence_type = 4;
    Map map_type = 5;
    Optional optional_type = 9;
  }
  optional string denotation = 6;
}
`;

/** TensorProto.DataType values the studio uses (upstream numbering). */
export const TensorType = {
  FLOAT: 1,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  DOUBLE: 11,
} as const;
export type TensorElemType = (typeof TensorType)[keyof typeof TensorType];

export const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

/** int64 fields decode as numbers or protobufjs Long objects; plain numbers are fine for writing. */
export type Int64 = number | { toNumber(): number };

export interface TensorProto {
  name?: string;
  dims?: Int64[];
  data_type?: number;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: Int64[];
  double_data?: number[];
  string_data?: Uint8Array[];
  raw_data?: Uint8Array;
  doc_string?: string;
}

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: Int64[];
  strings?: Uint8Array[];
}

export interface NodeProto {
  input: string[];
  output: string[];
  name?: string;
  op_type: string;
  domain?: string;
  attribute?: AttributeProto[];
  doc_string?: string;
}

export interface TensorShapeDimension {
  dim_value?: Int64;
  dim_param?: string;
}

export interface TypeProto {
  tensor_type?: { elem_type?: number; shape?: { dim?: TensorShapeDimension[] } };
  sequence_type?: { elem_type?: TypeProto };
  map_type?: { key_type?: number; value_type?: TypeProto };
  optional_type?: { elem_type?: TypeProto };
}

export interface ValueInfoProto {
  name: string;
  type?: TypeProto;
  doc_string?: string;
}

export interface GraphProto {
  name?: string;
  node?: NodeProto[];
  initializer?: TensorProto[];
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
  doc_string?: string;
}

export interface ModelProto {
  ir_version?: Int64;
  opset_import?: { domain?: string; version?: Int64 }[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: Int64;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props?: { key?: string; value?: string }[];
}

let modelType: protobuf.Type | null = null;

function modelProtoType(): protobuf.Type {
  if (!modelType) {
    const root = protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
    modelType = root.lookupType("onnx.ModelProto");
  }
  return modelType;
}

export function encodeModelProto(model: ModelProto): Uint8Array {
  // encode() reads plain objects with the right field types directly; fromObject would copy every
  // array once more (a 100-tree forest has ~10 arrays of 400k entries).
  return modelProtoType().encode(model as Record<string, unknown>).finish();
}

/** Decodes ONNX bytes; throws protobufjs's parser error for bytes that are not a ModelProto. */
export function decodeModelProto(bytes: Uint8Array): ModelProto {
  const type = modelProtoType();
  const message = type.decode(bytes);
  // Bytes fields stay Uint8Array/Buffer (no `bytes` option); int64s become plain numbers.
  return type.toObject(message, { longs: Number, defaults: false, arrays: true }) as ModelProto;
}

export function int64(value: Int64 | undefined): number {
  if (value === undefined) return 0;
  return typeof value === "number" ? value : value.toNumber();
}
