// The ESP32 boards' services (device only: compiled into boards/esp32*/*.nfproj, not into the
// host board): the clock, waiting, the report UART's command bytes, the BOOT button, and the
// runtime's memory figures for the dumps.
//
// Runtime figures, so a dump tells our arena from the rest of RAM:
//   internal  NativeMemory.GetMemoryInfo(Internal): the chip's own RAM (ESP-IDF heap)
//   spiram    NativeMemory.GetMemoryInfo(SpiRam): PSRAM, when the module has it
//   managed   nanoFramework.Runtime.Native.GC.Run(false): the managed heap's free bytes after a
//             collection (our arena is one object in it: HEAP bytes)
using System;
using System.Device.Gpio;
using System.Threading;
using nanoFramework.Hardware.Esp32;

namespace Checker.Nano.Boards
{
    /// <summary>Clock, sleep, UART commands and the BOOT button of an ESP32 board.</summary>
    public sealed class Esp32Port : BoardPort
    {
        private readonly SerialSink _serial;
        private readonly GpioPin _button;

        /// <summary>
        /// The port over <paramref name="serial"/>, with the button on <paramref name="buttonPin"/>
        /// (active low, internal pull-up; -1: no button).
        /// </summary>
        public Esp32Port(SerialSink serial, int buttonPin)
        {
            _serial = serial;
            if (buttonPin >= 0)
            {
                GpioController gpio = new GpioController();
                _button = gpio.OpenPin(buttonPin, PinMode.InputPullUp);
            }
        }

        /// <summary>DateTime.UtcNow in milliseconds: it only has to move forward while the firmware runs.</summary>
        public override long NowMs
        {
            get { return DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond; }
        }

        /// <summary>Thread.Sleep.</summary>
        public override void Sleep(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }

        /// <summary>The bytes waiting on the report UART.</summary>
        public override int ReadCommands(byte[] buffer, int offset, int count)
        {
            return _serial == null ? 0 : _serial.ReadCommands(buffer, offset, count);
        }

        /// <summary>The BOOT button (low when pressed).</summary>
        public override bool ButtonPressed
        {
            get { return _button != null && _button.Read() == PinValue.Low; }
        }
    }

    /// <summary>The runtime's memory figures on an ESP32 (see the top of this file).</summary>
    public sealed class Esp32RuntimeMemory : RuntimeMemory
    {
        /// <summary>Whether the module has PSRAM that the runtime can see.</summary>
        public static bool HasSpiRam()
        {
            try
            {
                uint total, free, largest;
                NativeMemory.GetMemoryInfo(NativeMemory.MemoryType.SpiRam, out total, out free, out largest);
                return total > 0;
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <summary>internal, spiram (when present), managed.</summary>
        public override int Sample(RuntimeFigure[] figures)
        {
            int n = 0;
            uint total, free, largest;
            try
            {
                NativeMemory.GetMemoryInfo(NativeMemory.MemoryType.Internal, out total, out free, out largest);
                figures[n++].Set("internal", total, free, largest);
                NativeMemory.GetMemoryInfo(NativeMemory.MemoryType.SpiRam, out total, out free, out largest);
                if (total > 0)
                {
                    figures[n++].Set("spiram", total, free, largest);
                }
            }
            catch (Exception)
            {
                // a firmware without NativeMemory: leave those figures out
            }

            try
            {
                uint managedFree = nanoFramework.Runtime.Native.GC.Run(false);
                figures[n++].Set("managed", -1, managedFree, -1);
            }
            catch (Exception)
            {
                // leave it out
            }

            return n;
        }
    }
}
