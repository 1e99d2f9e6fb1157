#!/bin/sh
# Link launcher for the plugin executables (see provider/CMakeLists.txt): runs the link
# command it is given with some shared libraries, which imported targets name by full
# path (e.g. /usr/lib/x86_64-linux-gnu/libssl.so), replaced by the static archives given
# before "--" with the same name (libssl.a). CMake cannot swap an imported library's
# location for one consumer only, hence this.
# usage: static_link.sh ARCHIVE.a... -- LINK-COMMAND...
archives=
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  archives="$archives $1"
  shift
done
shift
n=$#
while [ "$n" -gt 0 ]; do
  arg=$1
  shift
  case $arg in
    */lib*.so)
      want=$(basename "$arg" .so).a
      for a in $archives; do
        if [ "$(basename "$a")" = "$want" ]; then arg=$a; break; fi
      done
      ;;
  esac
  set -- "$@" "$arg"
  n=$((n - 1))
done
exec "$@"
