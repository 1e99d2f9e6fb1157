#!/bin/sh
# Link launcher for the fully static plugin executables (see provider/CMakeLists.txt):
# runs the link command it is given with OpenSSL's shared libraries, which the imported
# targets OpenSSL::SSL/Crypto name by full path, replaced by their static archives.
# CMake cannot swap an imported library's location for one consumer only, hence this.
# usage: static_link.sh LIBSSL_A LIBCRYPTO_A LINK-COMMAND...
ssl=$1 crypto=$2
shift 2
n=$#
while [ "$n" -gt 0 ]; do
  arg=$1
  shift
  case $arg in
    */libssl.so) set -- "$@" "$ssl" ;;
    */libcrypto.so) set -- "$@" "$crypto" ;;
    *) set -- "$@" "$arg" ;;
  esac
  n=$((n - 1))
done
exec "$@"
