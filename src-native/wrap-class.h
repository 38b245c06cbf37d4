// The JS classes the addon exports (Channel, LineBuffer): a constructor wrapping one native
// object, its methods and read-only accessors, declared as tables.
#pragma once

#include <nan.h>

#include <initializer_list>

namespace deka {

struct WrapMethod {
  const char* name;
  Nan::FunctionCallback method;
};

struct WrapAccessor {
  const char* name;
  Nan::GetterCallback getter;
};

// Defines `name` on `target`: `construct` runs for `new`, the object has one internal field
// (the Nan::ObjectWrap), and the methods and accessors go on its prototype and instances.
inline void ExportWrapClass(v8::Local<v8::Object> target, const char* name, Nan::FunctionCallback construct,
                            std::initializer_list<WrapMethod> methods, std::initializer_list<WrapAccessor> accessors) {
  v8::Local<v8::FunctionTemplate> tpl = Nan::New<v8::FunctionTemplate>(construct);
  tpl->SetClassName(Nan::New(name).ToLocalChecked());
  tpl->InstanceTemplate()->SetInternalFieldCount(1);
  for (const WrapMethod& m : methods) Nan::SetPrototypeMethod(tpl, m.name, m.method);
  for (const WrapAccessor& a : accessors) Nan::SetAccessor(tpl->InstanceTemplate(), Nan::New(a.name).ToLocalChecked(), a.getter);
  Nan::Set(target, Nan::New(name).ToLocalChecked(), Nan::GetFunction(tpl).ToLocalChecked());
}

}  // namespace deka
