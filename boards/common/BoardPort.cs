// What the sample firmware needs from the board it runs on: a clock, a way to wait, the command
// bytes received on the report UART, the user button, and a sensor. boards/esp32*/ implement it
// with nanoFramework's APIs (Esp32Port.cs), boards/host with the PC's (console or a serial device).
namespace Checker.Nano.Boards
{
    /// <summary>The board services the sensor logger uses.</summary>
    public abstract class BoardPort
    {
        /// <summary>The firmware's clock in milliseconds (monotonic enough for periodic work).</summary>
        public abstract long NowMs { get; }

        /// <summary>Waits <paramref name="milliseconds"/> (a simulated clock just advances).</summary>
        public abstract void Sleep(int milliseconds);

        /// <summary>Reads the command bytes received since the last call into the buffer; returns how many (0: none).</summary>
        public abstract int ReadCommands(byte[] buffer, int offset, int count);

        /// <summary>Whether the user button is held down now (default: there is none).</summary>
        public virtual bool ButtonPressed
        {
            get { return false; }
        }

        /// <summary>
        /// One sensor reading, e.g. hundredths of a degree. The default is a synthetic temperature
        /// around 21.50 with a slow swing and a little noise, the same on every board: replace it
        /// with an ADC or I2C read on real hardware.
        /// </summary>
        public virtual int ReadSensor(int sequence, uint noise)
        {
            int swing = (sequence * 37) % 400;
            if (swing > 200)
            {
                swing = 400 - swing;
            }

            return 2050 + swing + (int)(noise % 21) - 10;
        }
    }
}
